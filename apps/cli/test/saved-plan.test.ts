/**
 * Saved plans on the real daemon: `plan -o FILE` then `apply FILE` applies
 * exactly what was reviewed; a change in Incus (a profile made by hand in the
 * infra's project) or in the infra file since the plan refuses the apply
 * (exit 1, ANKLUME_PLAN_STALE) and changes nothing. Objects of other users
 * outside the infra do not make a plan stale.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClient, type IncusClient } from '@anklume/incus-client'
import { emptyInfraYaml, freeBaseSubnet, runPrefix, testInfraYaml } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const P = runPrefix()
const PROJECT = `${P}-saved`
const DOMAIN = `${P}s`
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
let client: IncusClient
let dir: string
let file: string

function anklume(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // This file's own lock: other test runs on the same daemon do not make it wait.
    const env = { ...process.env, ANKLUME_LOCK_PATH: join(dir, 'apply.lock') }
    execFile(process.execPath, [BIN, ...args], { timeout: 170_000, env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

const instances = async () => (await client.instances.list({ project: DOMAIN })).map((i) => i.name).sort()

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "pnpm build" before the integration tests`)
  client = createClient()
  dir = await mkdtemp(join(tmpdir(), 'anklume-saved-'))
  const base = await freeBaseSubnet()
  file = join(dir, 'infra.yml')
  await writeFile(
    file,
    testInfraYaml({
      project: PROJECT,
      base,
      domains: `  ${DOMAIN}:\n    subnet_id: 1\n    nat: false\n    ephemeral: true\n    machines:\n      ${P}-s1: {}\n`,
    }),
  )
})

afterAll(async () => {
  const empty = join(dir, 'empty.yml')
  await writeFile(empty, emptyInfraYaml(PROJECT))
  await anklume(['apply', '-f', empty, '--yes', '--prune', '--force', '--no-nft'])
  await client.profiles.delete(`${P}-hand`, { project: DOMAIN }).catch(() => undefined)
  await client.close()
  await rm(dir, { recursive: true, force: true })
})

describe('anklume plan -o FILE, then anklume apply FILE', () => {
  it('applies exactly the saved plan, without asking', async () => {
    const planFile = join(dir, 'plan.json')
    const plan = await anklume(['plan', '-f', file, '--no-nft', '-o', planFile])
    expect(plan.code, plan.stderr).toBe(0)
    expect(plan.stderr).toContain(
      `saved the plan to ${planFile}: apply it with \`anklume apply ${planFile}\``,
    )
    const saved = JSON.parse(await readFile(planFile, 'utf8'))
    expect(saved).toMatchObject({ format: 'anklume-plan', format_version: 1, infra: { file } })
    expect(saved.infra.sources).toEqual([{ path: file, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }])
    expect(saved.observed_sha256).toMatch(/^[0-9a-f]{64}$/)

    const apply = await anklume(['apply', planFile])
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain(`+ create instance ${DOMAIN}/${P}-s1`)
    expect(apply.stdout).toMatch(/Apply complete: \d+ done, 0 failed/)
    expect(await instances()).toEqual([`${P}-s1`])
  })

  it('refuses when Incus changed since the plan (exit 1), changing nothing', async () => {
    await appendFile(file, `      ${P}-s2: {}\n`)
    const planFile = join(dir, 'plan2.json')
    expect((await anklume(['plan', '-f', file, '--no-nft', '-o', planFile])).code).toBe(0)
    // Someone else's project elsewhere: not this infra's business, the plan stays good...
    const other = `${P}-other`
    await client.projects.create({ name: other, config: { 'features.profiles': 'false' } })
    // ...but a profile made by hand in the infra's project is a change.
    await client.profiles.create({ name: `${P}-hand` }, { project: DOMAIN })
    try {
      const stale = await anklume(['apply', planFile, '--json'])
      expect(stale.code).toBe(1)
      const env = JSON.parse(stale.stdout)
      expect(env).toMatchObject({ command: 'apply', ok: false, result: null })
      expect(env.diagnostics[0]).toMatchObject({
        code: 'ANKLUME_PLAN_STALE',
        message: expect.stringContaining('Incus changed since the plan was made'),
        hint: expect.stringContaining('nothing was applied'),
      })
      expect(await instances()).toEqual([`${P}-s1`])

      await client.profiles.delete(`${P}-hand`, { project: DOMAIN })
      const back = await anklume(['apply', planFile])
      expect(back.code, back.stderr).toBe(0)
      expect(await instances()).toEqual([`${P}-s1`, `${P}-s2`])
    } finally {
      await client.projects.delete(other).catch(() => undefined)
    }
  })

  it('refuses when the infra file changed since the plan; options the plan fixes; not a plan', async () => {
    const planFile = join(dir, 'plan3.json')
    expect((await anklume(['plan', '-f', file, '--no-nft', '-o', planFile])).code).toBe(0)
    await appendFile(file, '# a comment is a change too\n')
    const stale = await anklume(['apply', planFile])
    expect(stale.code).toBe(1)
    expect(stale.stderr).toContain(
      `error [ANKLUME_PLAN_STALE]: the plan is stale: ${file} changed since the plan was made`,
    )

    const fixed = await anklume(['apply', planFile, '--prune'])
    expect(fixed.code).toBe(2)
    expect(fixed.stderr).toContain('--prune: a saved plan already fixes it')
    await writeFile(join(dir, 'junk.json'), '{"hello": 1}\n')
    const junk = await anklume(['apply', join(dir, 'junk.json')])
    expect(junk.code).toBe(2)
    expect(junk.stderr).toContain('ANKLUME_PLAN_FILE_INVALID')
    const offline = await anklume(['plan', '-f', file, '--offline', '-o', planFile])
    expect(offline.code).toBe(2)
  })
})
