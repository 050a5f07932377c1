import type { LoadContext } from '@anklume/schema'

/** Host facts the infra rules depend on (nesting level, VM boundary), read from /etc/anklume. */
export async function loadContext(extra: { yolo?: boolean | undefined } = {}): Promise<LoadContext> {
  const { readNestingContext } = await import('@anklume/lifecycle')
  const nesting = await readNestingContext()
  return {
    absoluteLevel: nesting.absoluteLevel === 0 ? 1 : nesting.absoluteLevel,
    vmNested: nesting.vmNested,
    yolo: Boolean(extra.yolo) || nesting.yolo,
  }
}
