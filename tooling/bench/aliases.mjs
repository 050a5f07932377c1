#!/usr/bin/env node
/**
 * Validation time of an infra file full of YAML anchors and aliases, with an
 * issue to locate on every machine. Before issue 13 every located issue
 * walked the whole document once per alias on its path (N²: 2400 machines
 * took 40 s); aliases are now resolved once per file (yaml-guard.ts).
 * Needs `pnpm build` (or `pnpm --filter @anklume/schema build`).
 *
 *   node tooling/bench/aliases.mjs [--json]
 */
import { performance } from 'node:perf_hooks'

const SIZES = [200, 400, 800, 1600, 2400]
const schema = await import(new URL('../../packages/schema/dist/index.js', import.meta.url).href)

/**
 * A valid infra of `n` machines in domains of 10: the first machine of each
 * domain is an anchor, the other nine merge it (`<<: *machD`) and alias its
 * config, and every machine has a warning (gpu_pci without gpu) that must be
 * located through the aliases.
 */
export function aliasInfra(n) {
  const lines = ['schema_version: 1', 'project_name: bench', 'global:', '  base_subnet: "10.100"', 'domains:']
  for (let d = 0; d * 10 < n; d++) {
    lines.push(`  d${d}:`, `    subnet_id: ${d + 1}`, '    machines:')
    for (let m = d * 10; m < Math.min(n, (d + 1) * 10); m++) {
      if (m % 10 === 0)
        lines.push(
          `      m${m}: &mach${d}`,
          '        type: lxc',
          `        config: &cfg${d} {limits.cpu: "1"}`,
          '        gpu_pci: "0000:01:00.0"',
        )
      else lines.push(`      m${m}:`, `        <<: *mach${d}`, `        config: *cfg${d}`)
    }
  }
  return `${lines.join('\n')}\n`
}

const rows = []
for (const n of SIZES) {
  const text = aliasInfra(n)
  const t0 = performance.now()
  const r = schema.loadFromString(text, 'bench.yml')
  const ms = performance.now() - t0
  rows.push({
    machines: n,
    aliases: Math.round((2 * n * 9) / 10),
    kB: Math.round(text.length / 1024),
    ms: Math.round(ms),
    ok: r.ok,
    issues: r.issues.length,
    first: r.issues[0]?.message,
  })
}
if (process.argv.includes('--json')) console.log(JSON.stringify(rows))
else {
  console.log('\n## Validation with YAML aliases\n')
  console.log('| machines | aliases | size | validation | valid |')
  console.log('|---:|---:|---:|---:|:--|')
  for (const r of rows)
    console.log(
      `| ${r.machines} | ${r.aliases} | ${r.kB} kB | ${r.ms} ms | ${r.ok ? 'yes' : `no (${r.issues}: ${r.first})`} |`,
    )
}
