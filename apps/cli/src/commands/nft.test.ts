import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../main.js'

const INFRA = `project_name: nftdemo
global:
  base_subnet: "10.230"
  isolation:
    table: anklume_cli
domains:
  pro:
    subnet_id: 1
    machines:
      pro-dev:
        ip: "10.230.1.10"
  shared:
    subnet_id: 2
network_policies:
  - description: "Pro prints"
    from: pro-dev
    to: shared
    ports: [631]
  - from: host
    to: pro
`

let dir: string
let file: string

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s)
    return true
  })
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s)
    return true
  })
  try {
    process.exitCode = undefined
    const code = await main(['node', 'anklume', ...args])
    return { code, stdout, stderr }
  } finally {
    o.mockRestore()
    e.mockRestore()
    process.exitCode = undefined
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anklume-cli-nft-'))
  file = join(dir, 'infra.yml')
  await writeFile(file, INFRA)
  await writeFile(join(dir, 'bad.yml'), 'project_name: x\n')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('anklume nft', () => {
  it('prints the ruleset of the infra file, and notes policies that need no rule', async () => {
    const r = await run('nft', '-f', file)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('table inet anklume_cli {')
    expect(r.stdout).toContain('"net-pro" . 10.230.1.10 . "net-shared" . tcp . 631 comment "Pro prints"')
    expect(r.stderr).toBe(
      'note: network_policies[1] needs no rule: from host: the host already reaches every domain (no rule needed)\n',
    )
  })

  it('prints libnftables JSON with --json', async () => {
    const r = await run('nft', '-f', file, '--json')
    const doc = JSON.parse(r.stdout).result as { nftables: Array<Record<string, unknown>> }
    expect(doc.nftables.slice(1, 3)).toEqual([
      { add: { table: { family: 'inet', name: 'anklume_cli' } } },
      { delete: { table: { family: 'inet', name: 'anklume_cli' } } },
    ])
  })

  it('install writes the table file and the include, idempotently', async () => {
    const conf = join(dir, 'nftables.conf')
    await writeFile(conf, '#!/usr/sbin/nft -f\nflush ruleset\n')
    const first = await run('nft', 'install', '-f', file, '--dir', join(dir, 'd'), '--conf', conf)
    expect(first.code).toBe(0)
    expect(first.stdout).toBe(
      `wrote ${dir}/d/anklume_cli.nft\nadded: include "${dir}/d/anklume_cli.nft" to ${conf}\nload it now with: sudo anklume nft apply\n`,
    )
    expect(first.stderr).toContain('flush ruleset')
    const second = await run('nft', 'install', '-f', file, '--dir', join(dir, 'd'), '--conf', conf)
    expect(second.stdout).toContain(`unchanged ${dir}/d/anklume_cli.nft\n${conf} already includes it\n`)
    expect(await readFile(join(dir, 'd/anklume_cli.nft'), 'utf8')).toContain('table inet anklume_cli {')
  })

  it('fails with exit 2 on an invalid infra file', async () => {
    const r = await run('nft', '-f', join(dir, 'bad.yml'))
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('ANKLUME_SCHEMA_INVALID')
  })

  it('apply refuses a --remote Incus: the table goes into this host', async () => {
    const r = await run('--remote', 'https://incus.example:8443', 'nft', 'apply', '-f', file)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error [ANKLUME_USAGE]: nft apply loads the table into THIS host')
  })
})
