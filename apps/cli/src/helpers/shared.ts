import { readFile } from 'node:fs/promises'
import type { IncusClient } from '@anklume/incus-client'
import type { Command } from 'commander'
import { CliError } from '../errors.js'
import { timeoutMs, waitingLine } from '../waiting.js'

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
  /** Seconds to wait for each Incus answer (`--timeout`). */
  timeout?: string
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
  const requestTimeoutMs = timeoutMs(g.timeout)
  if (Number.isNaN(requestTimeoutMs)) {
    throw new CliError('ANKLUME_USAGE', `--timeout must be a positive number of seconds, got "${g.timeout}"`)
  }
  const common = {
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
    ...(g.quiet ? {} : { onWaiting: waitingLine() }),
  }
  if (!g.remote) return createClient({ socketPath: g.socket, ...common })
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
  return createClient({
    remote: { url: g.remote, cert, key, ...(serverCert ? { serverCert } : {}) },
    ...common,
  })
}

/**
 * The apply lock of this client's Incus, taken once the daemon answered (a
 * dead socket fails with its own error, not with a lock error). One lock per
 * Incus target (one per cluster: engine lockTarget); `ANKLUME_LOCK_PATH` names it explicitly (tests).
 */
export async function lockIncus(client: IncusClient): Promise<{ release(): Promise<void> }> {
  const { lockTarget } = await import('@anklume/engine')
  const target = await lockTarget(client)
  const { acquireLock } = await import('@anklume/host')
  return acquireLock({ target, path: process.env.ANKLUME_LOCK_PATH })
}

/** Runs `fn` with a connected client, closed afterwards whatever happens. */
export async function withClient<T>(g: GlobalOptions, fn: (client: IncusClient) => Promise<T>): Promise<T> {
  const client = await connect(g)
  try {
    return await fn(client)
  } finally {
    await client.close()
  }
}

export const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`)
}
export const err = (s: string): void => {
  process.stderr.write(s.endsWith('\n') ? s : `${s}\n`)
}
export const printJson = (v: unknown): void => out(JSON.stringify(v, null, 2))

/** Rows as aligned columns (two spaces apart, no trailing blanks); the first row is the header. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)))
  return rows.map((row) =>
    row
      .map((v, c) => v.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd(),
  )
}

export const printTable = (rows: readonly (readonly string[])[]): void => {
  for (const line of formatTable(rows)) out(line)
}
