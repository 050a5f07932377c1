/** Entry points: load a file or an infra/ directory (async, I/O), or a string (sync). */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type Combined, combineDirectory, combineSingle } from './combine.js'
import { SchemaError } from './errors.js'
import type { Infra, Issue, LoadContext, LoadResult } from './types.js'
import { validateCombined } from './validate.js'
import { type ParsedFile, parseYaml } from './yaml-doc.js'

export type LoadOptions = LoadContext & { cwd?: string }

function failure(issue: Omit<Issue, 'severity' | 'path'>): LoadResult {
  return { ok: false, infra: undefined, issues: [{ severity: 'error', path: '', ...issue }] }
}

/** Validates one infra document given as text (single-file mode). */
export function loadFromString(text: string, file: string, ctx: LoadContext = {}): LoadResult {
  return validateCombined(combineSingle(parseYaml(text, file)), ctx)
}

async function kind(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path)
    return s.isDirectory() ? 'dir' : 'file'
  } catch {
    return undefined
  }
}

async function readParsed(display: string, cwd: string): Promise<ParsedFile> {
  return parseYaml(await readFile(resolve(cwd, display), 'utf8'), display)
}

async function readDirectory(dir: string, cwd: string): Promise<Combined | LoadResult> {
  const basePath = join(dir, 'base.yml')
  if ((await kind(resolve(cwd, basePath))) !== 'file') {
    return failure({
      code: 'FILE_NOT_FOUND',
      file: basePath,
      message: 'not found: an infra/ directory needs base.yml (project_name, global)',
      hint: 'create base.yml, or pass the infra file itself with -f',
    })
  }
  const base = await readParsed(basePath, cwd)
  const domainsDir = join(dir, 'domains')
  const names =
    (await kind(resolve(cwd, domainsDir))) === 'dir' ? await readdir(resolve(cwd, domainsDir)) : []
  const domainFiles: ParsedFile[] = []
  for (const name of names.filter((n) => /\.ya?ml$/.test(n)).sort()) {
    domainFiles.push(await readParsed(join(domainsDir, name), cwd))
  }
  const policiesPath = join(dir, 'policies.yml')
  const policies =
    (await kind(resolve(cwd, policiesPath))) === 'file' ? await readParsed(policiesPath, cwd) : undefined
  return combineDirectory(base, domainFiles, policies)
}

/**
 * Loads and validates `source` (a file or an infra/ directory; undefined:
 * `infra.yml`, then `infra/base.yml`, in `cwd`). Never throws for a bad or
 * missing file: problems come back as issues.
 */
export async function load(source: string | undefined, ctx: LoadOptions = {}): Promise<LoadResult> {
  const cwd = ctx.cwd ?? process.cwd()
  let target = source
  if (target === undefined) {
    if ((await kind(resolve(cwd, 'infra.yml'))) === 'file') target = 'infra.yml'
    else if ((await kind(resolve(cwd, 'infra', 'base.yml'))) === 'file') target = 'infra'
    else
      return failure({
        code: 'FILE_NOT_FOUND',
        message: `no infra.yml or infra/base.yml in ${cwd}`,
        hint: 'pass the file with -f, or start from examples/quickstart.yml',
      })
  }
  const k = await kind(resolve(cwd, target))
  if (k === undefined)
    return failure({ code: 'FILE_NOT_FOUND', file: target, message: 'no such file or directory' })
  try {
    const combined =
      k === 'dir' ? await readDirectory(target, cwd) : combineSingle(await readParsed(target, cwd))
    return 'ok' in combined ? combined : validateCombined(combined, ctx)
  } catch (err) {
    const code = (err as { code?: string }).code
    return failure({
      code: 'FILE_READ',
      file: target,
      message: `cannot read: ${code ?? (err instanceof Error ? err.message : String(err))}`,
    })
  }
}

/** Like `load`, but returns the Infra or throws a SchemaError listing the first problems. */
export async function loadOrThrow(source: string | undefined, ctx: LoadOptions = {}): Promise<Infra> {
  const result = await load(source, ctx)
  if (result.ok) return result.infra
  throw new SchemaError(result.issues)
}
