import { readFile } from 'node:fs/promises'
import type { IncusClient } from '@anklume/incus-client'
import type { Infra, LoadContext, NestingContext } from '@anklume/schema'
import type { Command } from 'commander'
import { readHostContext } from './context.js'
import { CliError } from './errors.js'

/** The program-wide options (cli.md "Global options"). */
export interface GlobalOptions {
  socket?: string
  remote?: string
  cert?: string
  key?: string
  serverCert?: string
  color?: boolean
  quiet?: boolean
  verbose?: boolean
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions
}

/** Colours only on a terminal, and never with --no-color or NO_COLOR. */
export function useColor(g: GlobalOptions, stream: NodeJS.WriteStream = process.stdout): boolean {
  return g.color !== false && !process.env.NO_COLOR && stream.isTTY === true
}

/** A client for the local socket (or --socket), or an HTTPS remote with --remote/--cert/--key. */
export async function connect(g: GlobalOptions): Promise<IncusClient> {
  const { createClient } = await import('@anklume/incus-client')
  if (!g.remote) return createClient({ socketPath: g.socket })
  if (!g.cert || !g.key) {
    throw new CliError(
      'ANKLUME_USAGE',
      '--remote needs --cert and --key (the client certificate the server trusts)',
    )
  }
  const [cert, key, serverCert] = await Promise.all([
    readFile(g.cert),
    readFile(g.key),
    g.serverCert ? readFile(g.serverCert) : undefined,
  ])
  return createClient({ remote: { url: g.remote, cert, key, ...(serverCert ? { serverCert } : {}) } })
}

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
  opts: { yolo?: boolean; quiet?: boolean } = {},
): Promise<Loaded> {
  const { load, SchemaError, formatIssue } = await import('@anklume/schema')
  const { load: ctx, nesting } = await readHostContext({ yolo: opts.yolo })
  const result = await load(file, ctx)
  if (!result.ok) throw new SchemaError(result.issues)
  if (!opts.quiet) for (const issue of result.issues) process.stderr.write(`${formatIssue(issue)}\n`)
  return { infra: result.infra, ctx, level: ctx.absoluteLevel ?? 1, nesting }
}

/** Collects repeated options (`--domain a --domain b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter(Boolean)]
}

export const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`)
}
export const err = (s: string): void => {
  process.stderr.write(s.endsWith('\n') ? s : `${s}\n`)
}
export const printJson = (v: unknown): void => out(JSON.stringify(v, null, 2))
