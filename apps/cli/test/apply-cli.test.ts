/**
 * The `anklume` process on the real daemon: kill points (an interrupted
 * apply is finished by the next one, nothing duplicated), one failing
 * instance fails only itself, VM requests at the API level (no KVM here),
 * the apply lock, --yes without a terminal, and the nftables table load.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deleteTable, listTable } from '@anklume/host'
import { createClient, type IncusClient } from '@anklume/incus-client'
import { emptyInfraYaml, freeBaseSubnet, runPrefix, testInfraYaml } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const P = runPrefix()
const PROJECT = `${P}-cli`
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
const TABLE = `anklume_${P}`
let client: IncusClient
let dir: string
let base: string

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function anklume(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env }, timeout: 170_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
      },
    )
  })
}

async function writeInfra(name: string, body: string): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, body)
  return file
}

const domains = (n: number, machines: number, tag = 'k', sid0 = 1) =>
  Array.from({ length: n }, (_, d) => {
    const ms = Array.from(
      { length: machines },
      (_, m) => `      ${P}${tag}${d}m${m}:\n        ip: "${base}.${d + sid0}.${m + 10}"\n`,
    ).join('')
    return `  ${P}${tag}${d}:\n    subnet_id: ${d + sid0}\n    nat: false\n    ephemeral: true\n    machines:\n${ms}`
  }).join('')

/** This file's infra (one project, the run's base subnet and table) with these `domains:` entries. */
const infraYaml = (entries: string) =>
  testInfraYaml({ project: PROJECT, base, domains: entries, table: TABLE })

/** `anklume apply --prune --force` of an empty infra: everything this file's tests made goes. */
async function pruneAll(): Promise<Run> {
  return anklume([
    'apply',
    '-f',
    await writeInfra('empty.yml', emptyInfraYaml(PROJECT)),
    '--yes',
    '--prune',
    '--force',
    '--no-nft',
  ])
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "pnpm build" before the integration tests`)
  client = createClient()
  base = await freeBaseSubnet()
  dir = await mkdtemp(join(tmpdir(), 'anklume-cli-'))
})

afterAll(async () => {
  await pruneAll()
  await deleteTable(TABLE)
  await client.close()
})

describe('anklume apply (process)', () => {
  it('refuses to apply without --yes when there is no terminal', async () => {
    const file = await writeInfra('one.yml', infraYaml(domains(1, 1)))
    const run = await anklume(['apply', '-f', file])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--yes/)
  })

  it('prunes what a killed apply left behind, half-created bridges included', async () => {
    const file = await writeInfra('kill2.yml', infraYaml(domains(2, 1, 'r', 60)))
    for (const ms of [300, 600, 900]) {
      const child = spawn(process.execPath, [BIN, 'apply', '-f', file, '--yes', '--no-nft'], {
        stdio: 'ignore',
      })
      await new Promise((r) => setTimeout(r, ms))
      child.kill('SIGKILL')
      await new Promise((r) => child.on('exit', r))
      const gone = await pruneAll()
      expect(gone.code, gone.stdout + gone.stderr).toBe(0)
      const left = (await client.networks.list()).filter((n) => n.name.startsWith(`net-${P}r`))
      expect(left.map((n) => `${n.name} (${n.status})`)).toEqual([])
      const projects = (await client.projects.list()).filter((p) => p.name.startsWith(`${P}r`))
      expect(projects.map((p) => p.name)).toEqual([])
    }
  })

  it('asks on a terminal and changes nothing unless the answer is yes', async () => {
    const file = await writeInfra('tty.yml', infraYaml(domains(1, 1, 't', 30)))
    // `script` (util-linux, Essential on Debian) gives the process a real pty.
    const run = await new Promise<Run>((resolve) => {
      const child = execFile(
        'script',
        ['-qfec', `${process.execPath} ${BIN} apply -f ${file} --no-nft --no-color`, '/dev/null'],
        { timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
      )
      setTimeout(() => child.stdin?.end('no\n'), 1500)
    })
    expect(run.stdout).toContain('Apply these changes? Type "yes":')
    expect(run.stdout).toContain('cancelled: nothing changed')
    await expect(client.projects.get(`${P}t0`)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
  })

  it('finishes an apply killed at any point, with nothing duplicated', async () => {
    const file = await writeInfra('kill.yml', infraYaml(domains(2, 2)))
    for (const ms of [150, 450, 800, 1100]) {
      const child = spawn(process.execPath, [BIN, 'apply', '-f', file, '--yes', '--no-nft'], {
        stdio: 'ignore',
      })
      await new Promise((r) => setTimeout(r, ms))
      child.kill('SIGKILL')
      await new Promise((r) => child.on('exit', r))

      try {
        const again = await anklume(['apply', '-f', file, '--yes', '--no-nft'])
        expect(again.stderr + again.stdout).not.toMatch(/✗|failed:/)
        expect(again.code).toBe(0)
        const plan = await anklume(['plan', '-f', file, '--detailed-exitcode', '--no-nft'])
        expect(plan.code, plan.stdout + plan.stderr).toBe(0)
        const mine = (await client.instances.list({ allProjects: true })).filter((i) =>
          i.name.startsWith(`${P}k`),
        )
        expect(mine.map((i) => i.name).sort()).toEqual([`${P}k0m0`, `${P}k0m1`, `${P}k1m0`, `${P}k1m1`])
        expect(mine.every((i) => i.status === 'Running')).toBe(true)
      } finally {
        // Back to nothing for the next kill point, even when a check failed.
        const gone = await pruneAll()
        expect(gone.code, gone.stderr).toBe(0)
      }
    }
  })

  it('on Ctrl-C starts nothing new, finishes what is in flight, and the next apply converges', async () => {
    const file = await writeInfra('sigint.yml', infraYaml(domains(2, 2, 's', 40)))
    const child = spawn(process.execPath, [
      BIN,
      'apply',
      '-f',
      file,
      '--yes',
      '--no-nft',
      '--concurrency',
      '1',
    ])
    let out = ''
    child.stdout.on('data', (d) => {
      out += String(d)
    })
    child.stderr.on('data', (d) => {
      out += String(d)
    })
    // Interrupt once the first action has finished.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (out.includes('✓ ')) {
          clearInterval(timer)
          resolve()
        }
      }, 20)
    })
    child.kill('SIGINT')
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    try {
      expect(code).toBe(1)
      expect(out).toMatch(/interrupted: no new actions start/)
      expect(out).toMatch(/Apply incomplete: \d+ done, 0 failed, 0 blocked, [1-9]\d* cancelled/)
      const again = await anklume(['apply', '-f', file, '--yes', '--no-nft'])
      expect(again.code, again.stderr).toBe(0)
      expect((await anklume(['plan', '-f', file, '--detailed-exitcode', '--no-nft'])).code).toBe(0)
    } finally {
      await pruneAll()
    }
  })

  it('refuses a bridge whose subnet overlaps a host network; the other domains still apply', async () => {
    // A bridge this test makes by hand holds <base>.50.0/24 on the host.
    const hand = `${P}h50`
    await client.networks.create({
      name: hand,
      type: 'bridge',
      config: { 'ipv4.address': `${base}.50.1/24`, 'ipv4.nat': 'false', 'ipv6.address': 'none' },
    })
    try {
      const file = await writeInfra('overlap.yml', infraYaml(domains(1, 1, 'o', 50) + domains(1, 1, 'q', 51)))
      const run = await anklume(['apply', '-f', file, '--yes', '--no-nft', '--json'])
      expect(run.code).toBe(1)
      const res = JSON.parse(run.stdout).result as {
        results: Array<{ id: string; status: string; error?: string }>
      }
      const byId = Object.fromEntries(res.results.map((r) => [r.id, r]))
      expect(byId[`network:net-${P}o0:create`]?.status).toBe('failed')
      expect(byId[`network:net-${P}o0:create`]?.error).toMatch(
        new RegExp(`${base.replace('.', '\\.')}\\.50\\.0/24.*${hand}|overlap`),
      )
      expect(byId[`instance:${P}o0/${P}o0m0:create`]?.status).toBe('blocked')
      expect(byId[`instance:${P}q0/${P}q0m0:create`]?.status).toBe('done')
      await expect(client.networks.get(`net-${P}o0`)).rejects.toMatchObject({ code: 'INCUS_NOT_FOUND' })
    } finally {
      await pruneAll()
      await client.networks.delete(hand).catch(() => undefined)
    }
  })

  it('fails only the broken instance (missing image, VM without KVM) and exits 1', async () => {
    const file = await writeInfra(
      'broken.yml',
      infraYaml(
        domains(1, 1, 'v', 20) +
          `      ${P}noimg:\n        os_image: ${P}-no-such-image\n      ${P}vm:\n        type: vm\n        ip: "${base}.20.30"\n`,
      ),
    )
    const run = await anklume(['apply', '-f', file, '--yes', '--no-nft', '--json'])
    expect(run.code).toBe(1)
    const envelope = JSON.parse(run.stdout)
    expect(envelope).toMatchObject({ command: 'apply', ok: false })
    const out = envelope.result as {
      plan: { actions: Array<{ id: string; desired?: { type?: string; config?: Record<string, string> } }> }
      results: Array<{ id: string; status: string; error?: string }>
    }
    const status = Object.fromEntries(out.results.map((r) => [r.id.split(':')[1], r.status]))
    expect(status[`${P}v0/${P}v0m0`]).toBe('done')
    expect(status[`${P}v0/${P}noimg`]).toBe('failed')
    expect(out.results.find((r) => r.id.includes(`${P}noimg`))?.error).toMatch(
      new RegExp(`${P}-no-such-image|not found|Failed`, 'i'),
    )
    // The VM request: what we sent, and Incus's answer on a host without KVM.
    const vm = out.plan.actions.find((a) => a.id === `instance:${P}v0/${P}vm:create`)
    expect(vm?.desired?.type).toBe('virtual-machine')
    const vmResult = out.results.find((r) => r.id === `instance:${P}v0/${P}vm:create`)
    // No KVM here: Incus refuses the VM (a container image, or no vhost_vsock), and only that VM fails.
    expect(vmResult?.status).toBe('failed')
    expect(vmResult?.error).toMatch(/virtual-machine/)
    expect(vm?.desired?.config?.['security.protection.delete']).toBe('false')

    // As text: each failure printed once, prefixed once with what was being done.
    const text = await anklume(['apply', '-f', file, '--yes', '--no-nft'])
    expect(text.code).toBe(1)
    const label = `create instance ${P}v0/${P}noimg`
    const mentions = (text.stdout + text.stderr).split('\n').filter((l) => l.includes(label))
    expect(mentions, text.stderr).toHaveLength(2) // the plan line and the one failure line
    expect(mentions[1]).toMatch(new RegExp(`^✗ ${label}: (?!.*${label})`))
  })

  it('refuses a second apply while another process holds the lock, and applies once it is gone (even killed)', async () => {
    const lock = join(dir, 'apply.lock')
    const hostDist = fileURLToPath(new URL('../../../packages/host/dist/index.js', import.meta.url))
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { acquireLock } = await import(${JSON.stringify(hostDist)}); await acquireLock({ path: ${JSON.stringify(lock)} }); console.log('held'); setInterval(() => {}, 1000)`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()))
    const file = await writeInfra('one.yml', infraYaml(domains(1, 1)))
    const run = await anklume(['apply', '-f', file, '--yes', '--no-nft'], { ANKLUME_LOCK_PATH: lock })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(new RegExp(`ANKLUME_LOCKED.*another anklume run \\(pid ${holder.pid}\\)`))
    holder.kill('SIGKILL')
    await new Promise((r) => holder.once('exit', r))
    const again = await anklume(['apply', '-f', file, '--yes', '--no-nft'], { ANKLUME_LOCK_PATH: lock })
    expect(again.code, again.stderr).toBe(0)
  })

  it('loads the isolation table at the end of apply', async () => {
    const file = await writeInfra('nft.yml', infraYaml(domains(2, 1)))
    const run = await anklume(['apply', '-f', file, '--yes'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(`table inet ${TABLE} loaded`)
    const table = await listTable(TABLE)
    expect(JSON.stringify(table)).toContain(`net-${P}k0`)

    // --nft-only reloads just the table (after it was removed by hand).
    await deleteTable(TABLE)
    const only = await anklume(['apply', '--nft-only', '-f', file])
    expect(only.code, only.stderr).toBe(0)
    expect(only.stdout).toMatch(new RegExp(`loaded table inet ${TABLE}: 29 rules`))
    expect(await listTable(TABLE)).toBeDefined()
  })

  it('shows a table deleted by hand as a change in plan and status; apply reloads it', async () => {
    const file = await writeInfra('nft.yml', infraYaml(domains(2, 1)))
    const converged = await anklume(['plan', '-f', file, '--detailed-exitcode'])
    expect(converged.code, converged.stdout + converged.stderr).toBe(0)
    expect((await anklume(['status', '-f', file])).stdout).toContain(`isolation: table inet ${TABLE} loaded`)

    await deleteTable(TABLE)
    const drift = await anklume(['plan', '-f', file, '--detailed-exitcode'])
    expect(drift.code, drift.stderr).toBe(2)
    // (Orphans of the earlier tests may be listed as skipped deletes.)
    const lines = drift.stdout.trimEnd().split('\n')
    expect(lines.filter((l) => !l.startsWith('! skip '))).toEqual([
      `+ load nftables table inet ${TABLE}`,
      '',
      `Plan: nftables table inet ${TABLE} to load.`,
    ])
    const ignored = await anklume(['plan', '-f', file, '--detailed-exitcode', '--no-nft'])
    expect(ignored.code, ignored.stdout).toBe(0)
    expect((await anklume(['status', '-f', file])).stdout).toContain(`isolation: table inet ${TABLE} missing`)
    const json = JSON.parse((await anklume(['plan', '-f', file, '--json'])).stdout).result
    expect(json.actions.map((a: { id: string }) => a.id)).toEqual([`nft-table:${TABLE}:create`])
    expect(json.summary).toMatchObject({ create: 0, isolation: 1 })

    const apply = await anklume(['apply', '-f', file, '--yes'])
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stderr).toContain(`✓ load nftables table inet ${TABLE}`)
    expect(apply.stdout).toContain(`nftables: table inet ${TABLE} loaded`)
    expect(apply.stdout).toMatch(/Apply complete: 1 done, 0 failed/)
    expect(JSON.stringify(await listTable(TABLE))).toContain(`net-${P}k1`)
    const after = await anklume(['plan', '-f', file, '--detailed-exitcode'])
    expect(after.code, after.stdout + after.stderr).toBe(0)
    expect(after.stdout).toContain('No changes. Incus matches the infra file.')
  })
})
