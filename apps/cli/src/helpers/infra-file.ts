/** Finding and loading the infra file, and where its Ansible tree sits. */
import { stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Infra, LoadContext, NestingContext } from '@anklume/schema'
import { addDiagnostics, issueDiagnostic, jsonMode } from '../json-output.js'
import { readHostContext } from './context.js'
import { colorWanted } from './shared.js'

export interface Loaded {
  infra: Infra
  ctx: LoadContext
  /** Nesting level for the name prefix. */
  level: number
  /** The host's /etc/anklume context (read once with ctx). */
  nesting: NestingContext
}

/** Loads and validates the infra file, printing its warnings; throws SchemaError when invalid. */
export async function loadInfra(
  file: string | undefined,
  opts: { yolo?: boolean; quiet?: boolean; color?: boolean } = {},
): Promise<Loaded> {
  const { load, SchemaError, formatIssue, namingLevel } = await import('@anklume/schema')
  const { load: ctx, nesting } = await readHostContext({ yolo: opts.yolo })
  const result = await load(file, ctx)
  if (!result.ok) throw new SchemaError(result.issues)
  const color = colorWanted(opts.color, process.stderr)
  // Under --json the warnings go in the envelope's diagnostics.
  if (jsonMode()) addDiagnostics(...result.issues.map(issueDiagnostic))
  else if (!opts.quiet)
    for (const issue of result.issues) process.stderr.write(`${formatIssue(issue, { color })}\n`)
  return { infra: result.infra, ctx, level: namingLevel(ctx), nesting }
}

const exists = (p: string) =>
  stat(resolve(p)).then(
    () => true,
    () => false,
  )

/** The infra file when given with -f, or found as ./infra.yml or ./infra/base.yml; else undefined. */
export async function findInfra(file: string | undefined): Promise<Loaded | undefined> {
  if (file !== undefined) return loadInfra(file, { quiet: true })
  if ((await exists('infra.yml')) || (await exists('infra/base.yml')))
    return loadInfra(undefined, { quiet: true })
  return undefined
}

/** The Ansible tree goes next to the infra file (beside an infra/ directory), else in the current directory. */
export async function treeDir(file: string | undefined): Promise<string> {
  if (file === undefined) return process.cwd()
  const path = resolve(file)
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  )
  return dirname(isDir ? path.replace(/\/+$/, '') : path)
}
