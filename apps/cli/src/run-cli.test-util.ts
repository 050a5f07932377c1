import { vi } from 'vitest'
import { main } from './main.js'

/** Runs the real CLI in-process and captures what it prints. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s)
    return true
  })
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s)
    return true
  })
  process.exitCode = undefined
  try {
    const code = await main(['node', 'anklume', ...args])
    return { code, out, err }
  } finally {
    o.mockRestore()
    e.mockRestore()
    process.exitCode = undefined
  }
}
