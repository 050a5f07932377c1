import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** The nesting context files anklume writes into every instance it creates (lifecycle.md). */
export interface NestingContext {
  /** Depth from the physical host: 0 on the host itself (file absent). */
  absoluteLevel: number
  /** Depth since the last VM boundary. */
  relativeLevel: number
  /** Some ancestor (or this instance) is a VM. */
  vmNested: boolean
  /** Safety guards relaxed by the operator. */
  yolo: boolean
}

export const CONTEXT_DIR = '/etc/anklume'

async function readOpt(dir: string, name: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, name), 'utf8')).trim()
  } catch {
    return undefined
  }
}

function toInt(v: string | undefined): number {
  const n = v === undefined ? Number.NaN : Number.parseInt(v, 10)
  return Number.isFinite(n) && n >= 0 ? n : 0
}

/** Reads /etc/anklume/*; missing files count as level 0 / false. */
export async function readNestingContext(dir: string = CONTEXT_DIR): Promise<NestingContext> {
  const [abs, rel, vm, yolo] = await Promise.all(
    ['absolute_level', 'relative_level', 'vm_nested', 'yolo'].map((f) => readOpt(dir, f)),
  )
  return {
    absoluteLevel: toInt(abs),
    relativeLevel: toInt(rel),
    vmNested: vm === 'true',
    yolo: yolo === 'true',
  }
}

/** The context files a parent writes into a new child instance. */
export function childContext(parent: NestingContext, childIsVm: boolean): Record<string, string> {
  const absolute = parent.absoluteLevel + 1
  return {
    absolute_level: String(absolute),
    relative_level: String(childIsVm ? 0 : parent.relativeLevel + 1),
    vm_nested: String(parent.vmNested || childIsVm),
    yolo: String(parent.yolo),
  }
}
