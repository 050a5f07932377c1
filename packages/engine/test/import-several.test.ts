/**
 * `anklume import` on a host that holds two anklume projects (two infras
 * applied with different project_name, on different base subnets): each
 * import with `--project-name` takes only its own projects, names and
 * subnets, and plans zero changes against the live host; an import that
 * covers both without `--project-name` is refused (exit 2) and lists them.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { IncusClient } from '@anklume/incus-client'
import { loadInfra, runPrefix, useTestInfra } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { importIncus } from '../src/index.js'
import { cliPath, engineDriver, newClient, plan } from './helpers.js'

const P = runPrefix()
const run = promisify(execFile)
const domainsOf = (side: string, count: number) => (base: string) =>
  Array.from(
    { length: count },
    (_, i) => `  ${P}${side}${i + 1}:
    subnet_id: ${i + 1}
    nat: false
    ephemeral: true
    machines:
      ${P}-${side}${i + 1}m: { ip: "${base}.${i + 1}.10" }
`,
  ).join('')
// Different project_name, base subnet and number of domains.
const alpha = useTestInfra(engineDriver, { name: 'impalpha', domains: domainsOf('ia', 1) })
const beta = useTestInfra(engineDriver, { name: 'impbeta', domains: domainsOf('ib', 2) })
let client: IncusClient

beforeAll(() => {
  client = newClient()
})
afterAll(async () => {
  await client.close()
})

describe('anklume import of a host holding two anklume projects', () => {
  it('imports each project_name into its own file, which plans zero changes', async () => {
    expect(alpha.current.base).not.toBe(beta.current.base)
    for (const [t, domains] of [
      [alpha.current, [`${P}ia1`]],
      [beta.current, [`${P}ib1`, `${P}ib2`]],
    ] as const) {
      const imported = await importIncus(client, { projectName: t.project, level: 1 })
      expect(imported.errors).toEqual([])
      const doc = parse(imported.text)
      expect(doc.project_name).toBe(t.project)
      expect(doc.global.base_subnet).toBe(t.base)
      expect(Object.keys(doc.domains)).toEqual(domains)
      const replanned = await plan(client, loadInfra(imported.text, `${t.project}.yml`))
      expect(replanned.plan.actions).toEqual([])
    }
  })

  it('refuses (exit 2) to mix them without --project-name, listing both', async () => {
    const projects = [`${P}ia1`, `${P}ib1`, `${P}ib2`].flatMap((p) => ['--project', p])
    const refused = await run('node', [cliPath(), 'import', ...projects]).catch((e) => e)
    expect(refused.code).toBe(2)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toContain('ANKLUME_IMPORT_SEVERAL_PROJECTS')
    expect(refused.stderr).toContain(`${alpha.current.project} (${P}ia1)`)
    expect(refused.stderr).toContain(`${beta.current.project} (${P}ib1, ${P}ib2)`)
    expect(refused.stderr).toContain(`anklume import --project-name ${beta.current.project}`)

    const picked = await run('node', [
      cliPath(),
      'import',
      ...projects,
      '--project-name',
      beta.current.project,
    ])
    const doc = parse(picked.stdout)
    expect(doc.project_name).toBe(beta.current.project)
    expect(Object.keys(doc.domains)).toEqual([`${P}ib1`, `${P}ib2`])
  })
})
