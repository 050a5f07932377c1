import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { AnklumeError } from '@anklume/errors'
import { parseDocument } from 'yaml'

/** An AnKLuMe Python-era project directory, as read from disk (still raw YAML values). */
export interface PythonProject {
  dir: string
  /** `anklume.yml`: schema_version, defaults, addressing, nesting, resource_policy, gpu_policy… */
  settings: Record<string, unknown>
  /** `domains/<name>.yml`, one domain per file, in file-name order. */
  domains: Array<{ name: string; file: string; raw: Record<string, unknown> }>
  /** `policies.yml` → its `policies` list (empty when the file is absent). */
  policies: unknown[]
}

function invalid(file: string, message: string, hint?: string): AnklumeError {
  return new AnklumeError('ANKLUME_MIGRATE_INVALID', `${file}: ${message}`, hint)
}

/** Parses one YAML file into a mapping (an empty file is an empty mapping); errors name file:line:col. */
export function parseMapping(text: string, file: string): Record<string, unknown> {
  const doc = parseDocument(text, { uniqueKeys: true })
  const first = doc.errors[0]
  if (first) {
    const at = first.linePos?.[0]
    const message = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
    throw invalid(at ? `${file}:${at.line}:${at.col}` : file, message || 'YAML error')
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 })
  if (value === null || value === undefined) return {}
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid(file, 'must be a YAML mapping (key: value)')
  return value as Record<string, unknown>
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** Reads `anklume.yml`, `domains/*.yml` and `policies.yml` from an AnKLuMe project directory. */
export async function readPythonProject(dir: string): Promise<PythonProject> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  )
  const settingsPath = join(dir, 'anklume.yml')
  const settingsText = isDir ? await readText(settingsPath) : undefined
  if (settingsText === undefined) {
    throw new AnklumeError(
      'ANKLUME_MIGRATE_NOT_A_PROJECT',
      `${settingsPath} not found: ${dir} is not an AnKLuMe project directory`,
      'point `anklume migrate` at the directory holding anklume.yml and domains/; an infra.yml needs no migration',
    )
  }
  const settings = parseMapping(settingsText, settingsPath)
  const domainsDir = join(dir, 'domains')
  const names = await readdir(domainsDir).catch(() => [] as string[])
  const domains: PythonProject['domains'] = []
  for (const fileName of names.filter((n) => n.endsWith('.yml')).sort()) {
    const file = join(domainsDir, fileName)
    const raw = parseMapping((await readFile(file, 'utf8')) ?? '', file)
    if (Object.keys(raw).length === 0) throw invalid(file, 'empty domain file')
    domains.push({ name: fileName.slice(0, -'.yml'.length), file, raw })
  }
  const policiesPath = join(dir, 'policies.yml')
  const policiesText = await readText(policiesPath)
  let policies: unknown[] = []
  if (policiesText !== undefined) {
    const raw = parseMapping(policiesText, policiesPath).policies ?? []
    if (!Array.isArray(raw)) throw invalid(policiesPath, '`policies` must be a list')
    policies = raw
  }
  return { dir, settings, domains, policies }
}
