/**
 * Runs a command in an instance without websockets: `record-output` makes
 * the daemon keep stdout and stderr in log files, read (then deleted) once
 * the operation ends.
 */
import { type Core, seg } from '../core.js'
import { IncusError } from '../errors.js'
import type { ProjectOptions } from '../types/common.js'

export interface ExecOptions extends ProjectOptions {
  env?: Record<string, string>
  cwd?: string
  user?: number
  group?: number
  /** Give up waiting after this many seconds (INCUS_TIMEOUT). */
  timeoutSec?: number
}

export interface ExecResult {
  exitCode: number
  stdout: string
  stderr: string
}

export async function execCommand(
  core: Core,
  instance: string,
  command: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const body: Record<string, unknown> = {
    command,
    environment: options.env ?? {},
    'wait-for-websocket': false,
    interactive: false,
    'record-output': true,
  }
  if (options.cwd !== undefined) body['cwd'] = options.cwd
  if (options.user !== undefined) body['user'] = options.user
  if (options.group !== undefined) body['group'] = options.group
  const op = await core.mutate('POST', `/1.0/instances/${seg(instance)}/exec`, { ...options, body })
  const meta = op?.metadata as { return?: number; output?: Record<string, string> } | null | undefined
  if (!meta || typeof meta.return !== 'number') {
    throw new IncusError('INCUS_BAD_RESPONSE', `exec in ${instance} ended without an exit code`, {
      hint: 'The operation finished and was forgotten before it could be read; run the command again.',
    })
  }
  const read = async (logPath: string | undefined): Promise<string> => {
    if (!logPath) return ''
    const res = await core.raw('GET', logPath, { project: options.project, signal: options.signal })
    const text = await res.body.text()
    await core
      .request('DELETE', logPath, { project: options.project, signal: options.signal })
      .catch(() => undefined)
    return text
  }
  const [stdout, stderr] = await Promise.all([read(meta.output?.['1']), read(meta.output?.['2'])])
  return { exitCode: meta.return, stdout, stderr }
}
