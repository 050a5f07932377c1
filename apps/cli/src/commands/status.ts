import type { Command } from 'commander'
import { connect, globals, loadInfra, out, printJson } from '../shared.js'

interface StatusOpts {
  file?: string
  json?: boolean
}

export function register(program: Command): void {
  program
    .command('status')
    .description('declared vs actual, per domain and instance (state, IPv4, protection, snapshots)')
    .option(
      '-f, --file <path>',
      'infra.yml or infra/ directory (default: ./infra.yml, then ./infra/base.yml)',
    )
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  anklume status -f infra.yml')
    .action(async (opts: StatusOpts, cmd: Command) => {
      const g = globals(cmd)
      const { infra, level } = await loadInfra(opts.file, { quiet: true })
      const { observe, poolsOf } = await import('@anklume/engine')
      const { desired, statusOf } = await import('@anklume/planner')
      const client = await connect(g)
      try {
        const observed = await observe(client, { pools: poolsOf(infra), withState: true })
        const rows = statusOf(desired(infra, { level }), observed)
        if (opts.json) {
          printJson(rows)
          return
        }
        const table: string[][] = [['DOMAIN', 'INSTANCE', 'TYPE', 'STATE', 'IPV4', 'PROTECTED', 'SNAPSHOTS']]
        for (const d of rows) {
          const missing = [!d.projectExists && 'project', !d.bridgeExists && 'bridge'].filter(Boolean)
          if (d.instances.length === 0 || missing.length > 0) {
            table.push([
              d.domain,
              missing.length ? `(missing: ${missing.join(', ')})` : '(no machines)',
              '',
              '',
              '',
              '',
              '',
            ])
          }
          for (const i of d.instances) {
            const ip = i.ipv4.join(',') || (i.declaredIp ? `(${i.declaredIp})` : '-')
            const prot = i.exists
              ? `${i.protected.actual ? 'yes' : 'no'}${i.protected.actual !== i.protected.declared ? ' (drift)' : ''}`
              : i.protected.declared
                ? 'yes'
                : 'no'
            const type = i.declaredType === 'virtual-machine' ? 'vm' : 'lxc'
            table.push([
              d.domain,
              i.instance,
              type,
              i.exists ? i.state : 'missing',
              ip,
              prot,
              String(i.snapshots ?? (i.exists ? 0 : '-')),
            ])
          }
        }
        const widths = table[0]?.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length))) ?? []
        for (const r of table)
          out(
            r
              .map((v, c) => v.padEnd(widths[c] ?? 0))
              .join('  ')
              .trimEnd(),
          )
      } finally {
        await client.close()
      }
    })
}
