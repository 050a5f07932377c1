/**
 * Maps a key path of the combined infra (one file, or base.yml + domains/*.yml
 * + policies.yml) back to the file, line and column it came from.
 */
import { nodeAt, type ParsedFile, type Path, type PathKey, positionOf } from './yaml-doc.js'

export interface Mount {
  /** Path prefix in the combined infra, e.g. ['domains', 'pro']. */
  prefix: Path
  file: ParsedFile
  /** Same place inside the file, e.g. ['pro']. */
  filePrefix: Path
}

export interface Located {
  file: string
  line: number
  col: number
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => String(k) === String(path[i]))
}

export class Locator {
  readonly mounts: Mount[]
  readonly #files: string[] | undefined

  /** `files`: every file read, in order (defaults to the mounted ones). */
  constructor(mounts: Mount[], files?: string[]) {
    this.mounts = mounts
    this.#files = files
  }

  /** Position of the value (or key) at `path`; the nearest existing ancestor when absent. */
  locate(path: Path, want: 'key' | 'value' = 'value'): Located | undefined {
    let best: Mount | undefined
    for (const m of this.mounts) {
      if (startsWith(path, m.prefix) && (!best || m.prefix.length > best.prefix.length)) best = m
    }
    if (!best) return undefined
    const inner = [...best.filePrefix, ...path.slice(best.prefix.length)]
    const node = nodeAt(best.file, inner, want)
    return { file: best.file.file, ...positionOf(best.file, node) }
  }

  /** Files in reading order. */
  files(): string[] {
    if (this.#files) return [...this.#files]
    const seen: string[] = []
    for (const m of this.mounts) if (!seen.includes(m.file.file)) seen.push(m.file.file)
    return seen
  }
}

/** `domains.pro.machines.pro-dev.ip`, `network_policies[0].to`. */
export function formatPath(path: Path): string {
  let out = ''
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`
    else out += out === '' ? k : `.${k}`
  }
  return out
}

export type { Path, PathKey }
