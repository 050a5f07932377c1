import type { LoadContext, NestingContext } from '@anklume/schema'

export interface HostContext {
  /** What the infra rules need (nesting level for the prefix, VM boundary, yolo). */
  load: LoadContext
  /** The raw /etc/anklume context, for the files apply writes into new instances. */
  nesting: NestingContext
}

/** Reads /etc/anklume once and derives what both the loader and apply need. */
export async function readHostContext(extra: { yolo?: boolean | undefined } = {}): Promise<HostContext> {
  const { readNestingContext } = await import('@anklume/host')
  const { loadContextOf } = await import('@anklume/schema')
  const nesting = await readNestingContext()
  return { nesting, load: loadContextOf(nesting, extra) }
}

/** Host facts the infra rules depend on (nesting level, VM boundary), read from /etc/anklume. */
export async function loadContext(extra: { yolo?: boolean | undefined } = {}): Promise<LoadContext> {
  return (await readHostContext(extra)).load
}
