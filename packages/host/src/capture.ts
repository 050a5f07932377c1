import { spawn } from 'node:child_process'

/** What a finished command printed, and its exit status (-1 when killed by a signal). */
export interface Captured {
  status: number
  stdout: string
  stderr: string
}

/** Runs `cmd` with no stdin and collects its output; rejects only when it cannot start. */
export function capture(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c
    })
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }))
  })
}
