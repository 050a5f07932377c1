/**
 * A test infra on the real daemon: built from a few lines of YAML under a
 * common header (the run's prefix, a free base subnet, the local busybox
 * image), applied, handed to the test, and ALWAYS torn down through the real
 * prune path (`apply --prune --force` of the same project with no domains),
 * even when the apply or the test fails.
 *
 * How an infra is applied and pruned is the caller's `driver` (the engine
 * library in engine tests, the `anklume` process in CLI tests), so this
 * package needs neither: nothing here imports a package under test.
 */
import { type Infra, loadFromString } from '@anklume/schema'
import { afterAll, beforeAll } from 'vitest'
import { parse } from 'yaml'
import { runPrefix } from './prefix.js'
import { freeBaseSubnet } from './subnet.js'

export const TEST_IMAGE = 'anklume-test/busybox'

export interface TestInfra {
  /** The infra's project_name, `<prefix>-<name>`: what the prune removes. */
  project: string
  /** The base subnet `10.X` picked for it. */
  base: string
  /** The infra file's text. */
  yaml: string
  /** The same, loaded and normalised by @anklume/schema. */
  infra: Infra
}

export interface TestInfraDriver {
  /** Applies `t` for real; throws when the apply did not succeed. */
  apply(t: TestInfra): Promise<void>
  /** Applies `emptyInfraYaml(t.project)` with prune and force: everything the project made goes. */
  prune(t: TestInfra): Promise<void>
}

export interface TestInfraSpec {
  /** project_name without the run prefix: the project is `<prefix>-<name>`. */
  name: string
  /** The `domains:` entries (indented two spaces), given the base subnet. Every domain needs `nat: false`. */
  domains: (base: string) => string
  /** The nftables table name (default `anklume_<prefix>`). */
  table?: string
}

export function loadInfra(yaml: string, file = 'test-infra.yml'): Infra {
  const res = loadFromString(yaml, file)
  if (!res.ok) {
    throw new Error(`test infra invalid:\n${res.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`)
  }
  return res.infra
}

/** The infra that removes everything of `project` when applied with prune and force. */
export function emptyInfraYaml(project: string): string {
  return `project_name: ${project}\nglobal: {}\ndomains: {}\n`
}

/** Network safety: a test domain never gets NAT (its traffic stays on this host). */
export function assertNoNat(yaml: string): void {
  const doc = parse(yaml) as { domains?: Record<string, { nat?: unknown } | null> | null }
  const open = Object.entries(doc.domains ?? {}).filter(([, d]) => d?.nat !== false)
  if (open.length > 0) {
    throw new Error(`test domains need "nat: false": ${open.map(([name]) => name).join(', ')}`)
  }
}

/** The test header (base subnet, busybox image, the run's table) over `domains` entries. */
export function testInfraYaml(o: { project: string; base: string; domains: string; table?: string }): string {
  const yaml = `project_name: ${o.project}
global:
  base_subnet: "${o.base}"
  default_os_image: ${TEST_IMAGE}
  isolation: { table: ${o.table ?? `anklume_${runPrefix()}`} }
domains:
${o.domains}`
  assertNoNat(yaml)
  return yaml
}

/** Builds the infra of `spec` on a free base subnet (nothing is created yet). */
export async function testInfra(spec: TestInfraSpec): Promise<TestInfra> {
  const base = await freeBaseSubnet()
  const project = `${runPrefix()}-${spec.name}`
  const yaml = testInfraYaml({ project, base, domains: spec.domains(base), table: spec.table })
  return { project, base, yaml, infra: loadInfra(yaml) }
}

/** Applies `t`, runs `body` with it, then prunes it whatever happened. */
export async function withAppliedInfra<T>(
  driver: TestInfraDriver,
  t: TestInfra,
  body: (t: TestInfra) => Promise<T>,
): Promise<T> {
  try {
    await driver.apply(t)
    return await body(t)
  } finally {
    await driver.prune(t)
  }
}

/** One test's infra: built, applied, given to `body`, pruned even when `body` throws. */
export async function withTestInfra<T>(
  driver: TestInfraDriver,
  spec: TestInfraSpec,
  body: (t: TestInfra) => Promise<T>,
): Promise<T> {
  return withAppliedInfra(driver, await testInfra(spec), body)
}

/**
 * A file's infra, shared by its tests: applied in `beforeAll`, pruned in
 * `afterAll` (which vitest runs even when `beforeAll` or a test failed).
 * Read it with `.current` inside hooks and tests.
 */
export function useTestInfra(driver: TestInfraDriver, spec: TestInfraSpec): { readonly current: TestInfra } {
  let t: TestInfra | undefined
  beforeAll(async () => {
    t = await testInfra(spec)
    await driver.apply(t)
  })
  afterAll(async () => {
    if (t) await driver.prune(t)
  })
  return {
    get current(): TestInfra {
      if (!t) throw new Error(`test infra ${spec.name} is not applied (beforeAll failed or not run yet)`)
      return t
    },
  }
}
