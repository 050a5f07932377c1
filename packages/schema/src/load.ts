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
  const found = await findSource(source, cwd)
  if (found === undefined) {
    return source === undefined
      ? failure({
          code: 'FILE_NOT_FOUND',
          message: `no infra.yml or infra/base.yml in ${cwd}`,
          hint: 'pass the file with -f, or start from examples/quickstart.yml',
        })
      : failure({ code: 'FILE_NOT_FOUND', file: source, message: 'no such file or directory' })
  }
  try {
    const combined =
      found.kind === 'dir'
        ? await readDirectory(found.path, cwd)
        : combineSingle(await readParsed(found.path, cwd))
    return 'ok' in combined ? combined : validateCombined(combined, ctx)
  } catch (err) {
    const code = (err as { code?: string }).code
    return failure({
      code: 'FILE_READ',
      file: found.path,
      message: `cannot read: ${code ?? (err instanceof Error ? err.message : String(err))}`,
    })
  }
}

/**
 * Without a source: `infra.yml`, then `infra/` (with base.yml). A file is read
 * as is; a directory is an infra/ directory when it holds base.yml, otherwise
 * its infra.yml, then its infra/ directory, are used.
 */
async function findSource(
  source: string | undefined,
  cwd: string,
): Promise<{ path: string; kind: 'file' | 'dir' } | undefined> {
  const isFile = async (p: string) => (await kind(resolve(cwd, p))) === 'file'
  const within = async (dir: string) => {
    if (await isFile(join(dir, 'infra.yml'))) return { path: join(dir, 'infra.yml'), kind: 'file' as const }
    if (await isFile(join(dir, 'infra', 'base.yml')))
      return { path: join(dir, 'infra'), kind: 'dir' as const }
    return undefined
  }
  if (source === undefined) return within('.')
  const k = await kind(resolve(cwd, source))
  if (k !== 'dir') return k === 'file' ? { path: source, kind: 'file' } : undefined
  if (await isFile(join(source, 'base.yml'))) return { path: source, kind: 'dir' }
  // A directory with none of them: directory mode reports the missing base.yml.
  return (await within(source)) ?? { path: source, kind: 'dir' }
}

/** Like `load`, but returns the Infra or throws a SchemaError listing the first problems. */
export async function loadOrThrow(source: string | undefined, ctx: LoadOptions = {}): Promise<Infra> {
  const result = await load(source, ctx)
  if (result.ok) return result.infra
  throw new SchemaError(result.issues)
}
