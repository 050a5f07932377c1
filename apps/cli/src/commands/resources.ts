import type { Command } from 'commander'
import { CliError, EXIT_INVALID, EXIT_OK } from '../errors.js'
import { loadInfra } from '../helpers/infra-file.js'
import { fileOption, parseWhole } from '../helpers/options.js'
import { err, globals, out, printJson, printTable, withClient } from '../helpers/shared.js'

interface ResourcesOpts {
  file?: string
  json?: boolean
  cpus?: string
  memory?: string
}

const GiB = 2 ** 30

/** `--memory 32GiB` / `--memory 34359738368` → bytes (more than zero). */
export function parseMemory(v: string): number {
  const m = v.trim().match(/^(\d+(?:\.\d+)?)\s*(KiB|MiB|GiB|TiB|)$/)
  if (!m) throw new CliError('ANKLUME_USAGE', `--memory: expected a size like 32GiB, got "${v}"`)
  const mult = { '': 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB, TiB: 2 ** 40 }[
    m[2] as '' | 'KiB' | 'MiB' | 'GiB' | 'TiB'
  ]
  const bytes = Math.round(Number(m[1]) * mult)
  if (bytes <= 0 || bytes > 2 ** 60)
    throw new CliError('ANKLUME_USAGE', `--memory must be more than 0 and at most 1024PiB, got "${v}"`)
  return bytes
}

/** `--cpus 8` → 8: a whole number of CPUs, at least 1. */
export function parseCpus(v: string): number {
  return parseWhole('--cpus', v, 1, 65_536)
}

export function register(program: Command): void {
  program
    .command('resources')
    .description('what resource_policy gives each machine (CPU and memory), from the host totals')
    .addOption(fileOption())
    .option('--json', 'print as JSON')
    .option('--cpus <n>', 'plan for this many host CPUs instead of asking Incus')
    .option('--memory <size>', 'plan for this much host memory instead of asking Incus (e.g. 32GiB)')
    .addHelpText(
      'after',
      '\nExamples:\n  anklume resources\n  anklume resources --cpus 8 --memory 32GiB   # offline, for another host',
    )
    .action(async (opts: ResourcesOpts, cmd: Command) => {
      const g = globals(cmd)
      if (Boolean(opts.cpus) !== Boolean(opts.memory))
        throw new CliError('ANKLUME_USAGE', '--cpus and --memory go together')
      // Checked before anything else: a bad number is refused even when the file has no policy.
      const given =
        opts.cpus && opts.memory
          ? { cpuCount: parseCpus(opts.cpus), memoryBytes: parseMemory(opts.memory) }
          : undefined
      const { infra } = await loadInfra(opts.file, { quiet: g.quiet })
      if (!infra.global.resourcePolicy) {
        const note =
          'resource_policy is not set in this infra: machines keep the limits written in their config.'
        if (opts.json)
          printJson({ policy: false, host: given ?? null, rows: [], warnings: [note], errors: [] })
        else out(note)
        return
      }
      const { allocateResources } = await import('@anklume/planner')
      let host: { cpuCount: number; memoryBytes: number }
      if (given) host = given
      else {
        const res = await withClient(g, (client) => client.resources())
        host = { cpuCount: res.cpu.total, memoryBytes: res.memory.total }
      }
      const alloc = allocateResources(infra, host)
      if (opts.json) {
        printJson({ policy: true, host, ...alloc })
      } else {
        out(`host: ${host.cpuCount} CPUs, ${(host.memoryBytes / GiB).toFixed(1)} GiB`)
        const rows = [['DOMAIN', 'MACHINE', 'TYPE', 'WEIGHT', 'CPU', 'MEMORY', 'SOURCE']]
        for (const r of alloc.rows) {
          const cpu = r.cpu ? `${r.cpu.key === 'limits.cpu' ? `${r.cpu.value} cpu` : r.cpu.value}` : '-'
          const mem = r.memory ? `${r.memory.value}${r.memory.enforce === 'soft' ? ' (soft)' : ''}` : '-'
          const source = [r.cpu?.source, r.memory?.source].filter(Boolean).join('/') || '-'
          rows.push([r.domain, r.machine, r.type, String(r.weight), cpu, mem, source])
        }
        printTable(rows)
        for (const w of alloc.warnings) err(`warning: ${w}`)
        for (const e of alloc.errors) err(`error: ${e}`)
      }
      process.exitCode = alloc.errors.length > 0 ? EXIT_INVALID : EXIT_OK
    })
}
