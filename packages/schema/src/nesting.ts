/**
 * The nesting context (lifecycle.md): the files /etc/anklume/* that tell an
 * anklume where it runs, and those a parent writes into each new child
 * instance. Reading them is the host's job (@anklume/host); the shape and the
 * parent → child rule are pure and live here.
 */
import type { LoadContext } from './types.js'

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

/** Where the context files live, on the host and inside every instance. */
export const CONTEXT_DIR = '/etc/anklume'

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

/**
 * What the infra rules need from the context: the level for the name prefix
 * (1 on the host itself, level 0), the VM boundary, and yolo (the file's, or
 * the command line's).
 */
export function loadContextOf(
  nesting: NestingContext,
  extra: { yolo?: boolean | undefined } = {},
): LoadContext {
  return {
    absoluteLevel: nesting.absoluteLevel === 0 ? 1 : nesting.absoluteLevel,
    vmNested: nesting.vmNested,
    yolo: Boolean(extra.yolo) || nesting.yolo,
  }
}

/** The nesting level names are built for (1 when the context does not say). */
export function namingLevel(ctx: LoadContext): number {
  return ctx.absoluteLevel ?? 1
}
