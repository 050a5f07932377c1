/**
 * `anklume dashboard` and `anklume console` as processes (the built CLI)
 * against the real Incus, with an infra file that is never applied (the
 * page shows its domains as missing; nothing is written to Incus):
 * the URL with its token is printed, the token is required, the page is
 * read-only without --allow-actions, a non-loopback --host needs --listen,
 * Ctrl-C stops it cleanly; `console --dry-run` prints the tmux commands.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { freeBaseSubnet, runPrefix } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
const P = runPrefix()
let dir: string
let file: string

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first`)
  dir = await mkdtemp(join(tmpdir(), 'anklume-dash-cli-'))
  file = join(dir, 'infra.yml')
  const base = await freeBaseSubnet()
  await writeFile(
    file,
    `project_name: ${P}-dcli
global: { base_subnet: "${base}" }
domains:
  ${P}ca: { subnet_id: 1, nat: false, trust_level: admin, machines: { ${P}-ca1: {} } }
  ${P}cb: { subnet_id: 2, nat: false, trust_level: disposable, machines: { ${P}-cb1: {} } }
`,
  )
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('anklume dashboard (process)', () => {
  it('prints the URL with a token, guards every request, stops on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'dashboard', '-f', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (c) => {
      stderr += c
    })
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c) => {
          stdout += c
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(stdout)
          if (m?.[1] && stdout.includes('Ctrl-C')) resolve(m[1])
        })
        void exited.then(() => reject(new Error(`dashboard exited early:\n${stdout}\n${stderr}`)))
      })
      expect(stdout).toContain('Read-only')
      const { origin, searchParams } = new URL(url)
      const token = searchParams.get('token') as string
      // The URL sets the cookie and drops the token from the address bar.
      const first = await fetch(url, { redirect: 'manual' })
      expect(first.status).toBe(303)
      expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/)
      expect((await fetch(`${origin}/api/state`)).status).toBe(401)
      const state = await fetch(`${origin}/api/state`, { headers: { authorization: `Bearer ${token}` } })
      expect(state.status).toBe(200)
      const body = (await state.json()) as {
        domains: Array<{ name: string; projectExists: boolean; colour: string }>
      }
      expect(body.domains.map((d) => [d.name, d.projectExists, d.colour])).toEqual([
        [`${P}ca`, false, '#ff0000'],
        [`${P}cb`, false, '#5f5f5f'],
      ])
      const action = await fetch(`${origin}/api/instances/${P}ca/${P}-ca1/start`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, origin },
      })
      expect(action.status).toBe(403)
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
  })

  it('refuses a non-loopback --host without --listen (exit 2)', async () => {
    const r = await run(process.execPath, [BIN, 'dashboard', '-f', file, '--host', '0.0.0.0']).catch(
      (e: { code: number; stderr: string }) => e,
    )
    expect('code' in r && r.code).toBe(2)
    expect((r as { stderr: string }).stderr).toMatch(/reachable from the network[\s\S]*hint: pass --listen/)
  })
})

describe('anklume console --dry-run', () => {
  it('prints the tmux commands of the session and runs none', async () => {
    const sock = `${P}-dry`
    const { stdout } = await run(process.execPath, [
      BIN,
      'console',
      '-f',
      file,
      '--dry-run',
      '--kill',
      '--tmux-socket',
      sock,
    ])
    const lines = stdout.trim().split('\n')
    expect(lines[0]).toBe(`tmux -L ${sock} kill-session -t =anklume-${P}-dcli`)
    expect(lines[1]).toMatch(new RegExp(`^tmux -L ${sock} new-session -d -s anklume-${P}-dcli -n ${P}ca `))
    expect(lines.some((l) => l.includes(`new-window -d -t anklume-${P}-dcli: -n ${P}cb`))).toBe(true)
    expect(lines).toContain(
      `tmux -L ${sock} set-option -w -t anklume-${P}-dcli:=${P}ca pane-border-style 'fg=#ff0000'`,
    )
    // Nothing ran: no tmux server on that socket.
    await expect(run('tmux', ['-L', sock, 'list-sessions'])).rejects.toThrow()
  })
})
