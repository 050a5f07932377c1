import type { IncusClient } from '@anklume/incus-client'
import { makeDomain, makeInfra } from '@anklume/schema'
import { describe, expect, it } from 'vitest'
import { infraScope, projectOfDomain, selectInstances } from './select.js'

const infra = makeInfra([makeDomain('pro', 1), makeDomain('perso', 2)], { nestingPrefix: true }, 'lab')
const loaded = { infra, level: 2 }

/** Only the two listings selection reads. */
function fakeClient(
  instances: Array<{ name: string; project: string; config?: Record<string, string> }>,
  projects: Array<{ name: string; config?: Record<string, string> }>,
): IncusClient {
  return {
    instances: { list: async () => instances },
    projects: { list: async () => projects },
  } as unknown as IncusClient
}

describe('infraScope', () => {
  it("maps each declared domain to its prefixed Incus project, under the infra's project_name", () => {
    expect(infraScope(loaded)).toEqual({
      projectName: 'lab',
      domainProjects: { pro: '002-pro', perso: '002-perso' },
    })
    expect(infraScope(undefined)).toEqual({})
  })
})

describe('selectInstances', () => {
  it("finds a domain's unlabelled instances through the infra file's project name", async () => {
    const client = fakeClient(
      [
        { name: '002-pro-dev', project: '002-pro' },
        { name: 'x', project: 'other' },
      ],
      [],
    )
    const found = await selectInstances(client, { kind: 'domain', domain: 'pro' }, { infra: loaded })
    expect(found.map((i) => i.name)).toEqual(['002-pro-dev'])
    await expect(selectInstances(client, { kind: 'domain', domain: 'pro' }, {})).rejects.toMatchObject({
      code: 'ANKLUME_TARGET_NOT_FOUND',
    })
  })

  it('resolves self through the hostname behind the nesting prefix', async () => {
    const client = fakeClient([{ name: '002-pro-dev', project: '002-pro' }], [])
    const found = await selectInstances(client, { kind: 'self' }, { hostname: 'pro-dev' })
    expect(found).toEqual([{ name: '002-pro-dev', project: '002-pro' }])
  })
})

describe('projectOfDomain', () => {
  it('prefers the labelled project, else the name the infra file gives', async () => {
    const labelled = {
      name: 'elsewhere',
      config: { 'user.anklume.managed': 'true', 'user.anklume.domain': 'pro', 'user.anklume.project': 'lab' },
    }
    expect(await projectOfDomain(fakeClient([], [labelled, { name: '002-pro' }]), 'pro', loaded)).toBe(
      'elsewhere',
    )
    expect(await projectOfDomain(fakeClient([], [{ name: '002-pro' }]), 'pro', loaded)).toBe('002-pro')
    await expect(
      projectOfDomain(fakeClient([], [{ name: '002-pro' }]), 'pro', undefined),
    ).rejects.toMatchObject({ code: 'ANKLUME_TARGET_NOT_FOUND' })
  })
})
