import { AnklumeError } from '@anklume/errors'

/**
 * The managed block of a generated Ansible file, with AnKLuMe's exact
 * markers: only the text between them belongs to anklume, everything before
 * and after is the user's and is kept byte for byte.
 */

export const MANAGED_BEGIN = '# === MANAGED BY infra.yml ==='
export const MANAGED_END = '# === END MANAGED ==='
export const MANAGED_NOTICE = '# Do not edit this section — it will be overwritten by `anklume sync`'
export const CUSTOM_VARS_NOTICE =
  '# Your custom variables below: anything outside the MANAGED block is kept by `anklume sync`.'

/** The managed block (markers included, no trailing newline) around a YAML body. */
export function managedBlock(body: string): string {
  return `${MANAGED_BEGIN}\n${MANAGED_NOTICE}\n${body.trimEnd()}\n${MANAGED_END}`
}

/** Where the managed block sits in `text`, or undefined when there is none; throws on broken markers. */
export function findManaged(text: string, file = 'file'): { start: number; end: number } | undefined {
  const start = text.indexOf(MANAGED_BEGIN)
  if (start < 0) {
    if (text.includes(MANAGED_END)) {
      throw new AnklumeError(
        'ANKLUME_INVENTORY_MARKERS',
        `${file}: "${MANAGED_END}" without "${MANAGED_BEGIN}"`,
        'restore the begin marker or delete both markers and the block between them',
      )
    }
    return undefined
  }
  const endAt = text.indexOf(MANAGED_END, start + MANAGED_BEGIN.length)
  if (endAt < 0) {
    throw new AnklumeError(
      'ANKLUME_INVENTORY_MARKERS',
      `${file}: "${MANAGED_BEGIN}" without "${MANAGED_END}"`,
      'restore the end marker after the managed variables; the file was left untouched',
    )
  }
  return { start, end: endAt + MANAGED_END.length }
}

/**
 * The new text of a file: the managed block replaced (or added on top, after
 * a leading `---`), every other byte of `existing` unchanged. A new file gets
 * a `---` line, the block and a comment saying where custom variables go.
 */
export function mergeManaged(existing: string | undefined, body: string, file?: string): string {
  const block = managedBlock(body)
  if (existing === undefined) return `---\n${block}\n\n${CUSTOM_VARS_NOTICE}\n`
  const at = findManaged(existing, file)
  if (at) return existing.slice(0, at.start) + block + existing.slice(at.end)
  const docStart = /^---[^\S\n]*(\r?\n|$)/.exec(existing)
  if (docStart) {
    const head = docStart[0].endsWith('\n') ? docStart[0] : `${docStart[0]}\n`
    return `${head}${block}\n\n${existing.slice(docStart[0].length)}`
  }
  return `---\n${block}\n\n${existing}`
}
