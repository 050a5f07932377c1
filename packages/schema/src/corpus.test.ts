import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { errors, FIXTURES, lineOf } from '../test/helpers.js'
import { load, loadFromString } from './index.js'

const CORPUS = join(FIXTURES, 'corpus')
const files = ['anklume-ansible', 'anklume-poc'].flatMap((dir) =>
  readdirSync(join(CORPUS, dir)).map((f) => `${dir}/${f}`),
)

/**
 * Two AnKLuMe files are genuinely invalid for Incus: their bridge names
 * exceed Linux's 15-character interface limit (infra-format.md).
 */
const BRIDGE_TOO_LONG: Record<string, { domain: string; remove: number }> = {
  'anklume-ansible/sys-print.yml': { domain: 'print-service', remove: 2 },
  'anklume-poc/labs-05-security-audit.yml': { domain: 'corp-sandbox', remove: 1 },
}

describe('AnKLuMe corpus', () => {
  test('the corpus fixtures are all there', () => {
    expect(files).toHaveLength(25)
  })

  test.each(files.filter((f) => !BRIDGE_TOO_LONG[f]))('%s validates with zero errors', async (f) => {
    const r = await load(join(CORPUS, f))
    expect(errors(r)).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.infra?.domains.length).toBeGreaterThan(0)
  })

  test.each(Object.entries(BRIDGE_TOO_LONG))('%s fails only on its bridge name', (f, { domain, remove }) => {
    const text = readFileSync(join(CORPUS, f), 'utf8')
    const r = loadFromString(text, f)
    expect(errors(r)).toHaveLength(1)
    const [e] = errors(r)
    expect(e).toMatchObject({ code: 'BRIDGE_NAME_TOO_LONG', path: `domains.${domain}`, file: f })
    expect(e?.line).toBe(lineOf(text, `  ${domain}:`))
    expect(e?.hint).toContain(`by ${remove} character`)
  })

  test('live-os.yml is refused, naming project_name, global and the unknown live_os key', async () => {
    const f = join(CORPUS, 'expected-invalid/live-os.yml')
    const r = await load(f)
    expect(r.ok).toBe(false)
    const byPath = new Map(errors(r).map((e) => [e.path, e]))
    expect(byPath.get('project_name')?.code).toBe('MISSING_KEY')
    expect(byPath.get('global')?.code).toBe('MISSING_KEY')
    expect(byPath.get('live_os')).toMatchObject({ code: 'UNKNOWN_KEY', line: 19, col: 1, file: f })
    expect(byPath.get('domains')?.code).toBe('INVALID_TYPE')
  })

  test('addressing-mode files get zone subnets and automatic addresses', async () => {
    const r = await load(join(CORPUS, 'anklume-poc/examples-ai-tools.yml'))
    const infra = r.infra
    const anklume = infra?.domains.find((d) => d.name === 'anklume')
    const ai = infra?.domains.find((d) => d.name === 'ai-tools')
    expect(anklume).toMatchObject({ subnet: '10.100.0.0/24', gateway: '10.100.0.254', trustLevel: 'admin' })
    expect(ai).toMatchObject({ subnet: '10.120.0.0/24', subnetId: 0, trustLevel: 'semi-trusted' })
    expect(ai?.machines.map((m) => m.ip)).toEqual([
      '10.120.0.1',
      '10.120.0.2',
      '10.120.0.3',
      '10.120.0.4',
      '10.120.0.5',
      '10.120.0.6',
    ])
  })
})

describe('directory mode', () => {
  test('base.yml + domains/*.yml alphabetical + policies.yml', async () => {
    const r = await load(join(FIXTURES, 'dir-mode/infra'))
    expect(errors(r)).toEqual([])
    const infra = r.infra
    expect(infra?.projectName).toBe('dir-demo')
    expect(infra?.domains.map((d) => d.name)).toEqual(['anklume', 'work', 'sandbox'])
    expect(infra?.domains[2]?.subnet).toBe('10.110.2.0/24')
    expect(infra?.networkPolicies).toHaveLength(1)
    expect(infra?.networkPolicies[0]).toMatchObject({ from: 'anklume', to: 'work-db', ports: [5432] })
    expect(infra?.sources.map((s) => s.replace(FIXTURES, ''))).toEqual([
      'dir-mode/infra/base.yml',
      'dir-mode/infra/domains/admin.yml',
      'dir-mode/infra/domains/work.yml',
      'dir-mode/infra/policies.yml',
    ])
    const db = infra?.domains[1]?.machines.find((m) => m.name === 'work-db')
    expect(db?.pos).toEqual({ file: join(FIXTURES, 'dir-mode/infra/domains/work.yml'), line: 7, col: 5 })
  })

  test('issues point into the file that holds the problem', async () => {
    const dir = join(FIXTURES, 'dir-invalid/infra')
    const r = await load('infra', { cwd: join(FIXTURES, 'dir-invalid') })
    expect(r.ok).toBe(false)
    const dup = r.issues.find((i) => i.code === 'DUPLICATE_DOMAIN')
    expect(dup).toMatchObject({ file: 'infra/domains/b.yml', line: 1, col: 1, path: 'domains.pro' })
    expect(dup?.message).toContain('infra/domains/a.yml')
    expect(dup?.message).toContain('infra/domains/b.yml')
    expect(r.issues.find((i) => i.code === 'DUPLICATE_SUBNET_ID')).toMatchObject({
      file: 'infra/domains/b.yml',
      line: 4,
      path: 'domains.perso.subnet_id',
    })
    expect(r.issues.find((i) => i.code === 'DUPLICATE_IP')).toMatchObject({
      file: 'infra/domains/b.yml',
      line: 7,
    })
    expect(r.issues.find((i) => i.code === 'UNKNOWN_TARGET')).toMatchObject({
      file: 'infra/policies.yml',
      line: 3,
      path: 'network_policies[0].to',
      hint: 'did you mean "pro-dev"?',
    })
    expect(r.issues.find((i) => i.code === 'UNKNOWN_KEY')).toMatchObject({
      file: 'infra/policies.yml',
      line: 4,
    })
    // sorted by file reading order, then position
    const files = r.issues.map((i) => i.file)
    expect(files).toEqual([...files].sort())
    expect(dir).toContain('dir-invalid')
  })
})

describe('finding the file', () => {
  test('without a source: infra.yml, then infra/base.yml in cwd', async () => {
    const r = await load(undefined, { cwd: join(FIXTURES, 'dir-mode') })
    expect(r.ok).toBe(true)
    expect(r.infra?.sources[0]).toBe(join('infra', 'base.yml'))
  })

  test('a directory holding infra.yml or infra/ is accepted with -f', async () => {
    const r = await load(join(FIXTURES, 'dir-mode'))
    expect(r.ok).toBe(true)
    expect(r.infra?.sources[0]).toBe(join(FIXTURES, 'dir-mode', 'infra', 'base.yml'))
  })

  test('a missing file is an issue, not an exception', async () => {
    const r = await load('nope.yml', { cwd: FIXTURES })
    expect(r).toMatchObject({ ok: false, issues: [{ code: 'FILE_NOT_FOUND', file: 'nope.yml' }] })
    const none = await load(undefined, { cwd: join(FIXTURES, 'corpus') })
    expect(none.issues[0]?.code).toBe('FILE_NOT_FOUND')
    const noBase = await load(join(FIXTURES, 'corpus'))
    expect(noBase.issues[0]).toMatchObject({
      code: 'FILE_NOT_FOUND',
      file: join(FIXTURES, 'corpus', 'base.yml'),
    })
  })
})

describe('examples/', () => {
  const EXAMPLES = join(FIXTURES, '../../../../examples')
  const entries = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yml') || f === 'infra')

  test.each(entries)('examples/%s validates with zero errors', async (f) => {
    const r = await load(join(EXAMPLES, f))
    expect(errors(r)).toEqual([])
  })
})
