import { readdirSync } from 'node:fs'
import { CORPUS_DIR } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { runCli } from '../run-cli.test-util.js'

/** AnKLuMe's real infra files (a copy of shared/corpus kept with the schema fixtures). */
const CORPUS = CORPUS_DIR
const files = (dir: string) => readdirSync(CORPUS + dir).map((f) => `${CORPUS}${dir}/${f}`)
/** Bridge names over Linux's 15 characters: refused with a precise message (docs/design.md). */
const TOO_LONG_BRIDGE = ['sys-print.yml', 'labs-05-security-audit.yml']

describe('anklume plan --offline on every corpus file', () => {
  for (const file of [...files('anklume-ansible'), ...files('anklume-poc')]) {
    const name = file.slice(CORPUS.length)
    if (TOO_LONG_BRIDGE.some((f) => name.endsWith(f))) {
      it(`${name} is refused, naming the bridge and how much to shorten it`, async () => {
        const r = await runCli('plan', '--offline', '-f', file, '--detailed-exitcode')
        expect(r.code).toBe(3)
        expect(r.err).toMatch(/bridge name "net-[a-z-]+" is 1[67] characters; Linux allows 15/)
      })
      continue
    }
    it(`${name} plans`, async () => {
      const r = await runCli('plan', '--offline', '-f', file, '--json')
      expect(r.code, r.err).toBe(0)
      const plan = JSON.parse(r.out).result as {
        offline: boolean
        actions: Array<{ op: string; kind: string }>
      }
      expect(plan.offline).toBe(true)
      expect(plan.actions.filter((a) => a.kind === 'network' && a.op === 'create').length).toBeGreaterThan(0)
      expect(plan.actions.every((a) => a.op === 'create' || a.op === 'update')).toBe(true)
    })
  }

  it('refuses the invalid live-os file with exit 2 and its missing keys', async () => {
    const r = await runCli('plan', '--offline', '-f', `${CORPUS}expected-invalid/live-os.yml`)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/project_name/)
    expect(r.err).toMatch(/global/)
  })
})
