import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CONTEXT_DIR, type NestingContext } from '@anklume/schema'

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

/** Where the nesting context files are read: the option, else `$ANKLUME_CONTEXT_DIR`, else /etc/anklume. */
export function contextDir(option?: string): string {
  return option ?? process.env.ANKLUME_CONTEXT_DIR ?? CONTEXT_DIR
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
