import type { DomainStatus, ObservedNetwork } from '@anklume/planner'
import type { Command } from 'commander'
import { loadInfra } from '../helpers/infra-file.js'
import { fileOption } from '../helpers/options.js'
import { globals, out, printJson, printTable, withClient } from '../helpers/shared.js'

interface StatusOpts {
  file?: string
  json?: boolean
}

/** The status table: one row per instance, plus one for a domain without machines or Incus objects. */
export async function statusTable(rows: DomainStatus[]): Promise<string[][]> {
  const { missingParts, protectionDrift } = await import('@anklume/planner')
  const table: string[][] = [['DOMAIN', 'INSTANCE', 'TYPE', 'STATE', 'IPV4', 'PROTECTED', 'SNAPSHOTS']]
  for (const d of rows) {
    const missing = missingParts(d)
    if (d.instances.length === 0 || missing.length > 0) {
      const note = missing.length ? `(missing: ${missing.join(', ')})` : '(no machines)'
      table.push([d.domain, note, '', '', '', '', ''])
    }
    for (const i of d.instances) {
      const ip = i.ipv4.join(',') || (i.declaredIp ? `(${i.declaredIp})` : '-')
      const prot = i.exists
        ? `${i.protected.actual ? 'yes' : 'no'}${protectionDrift(i) ? ' (drift)' : ''}`
        : i.protected.declared
          ? 'yes'
          : 'no'
      const type = i.declaredType === 'virtual-machine' ? 'vm' : 'lxc'
      const snapshots = String(i.snapshots ?? (i.exists ? 0 : '-'))
      table.push([d.domain, i.instance, type, i.exists ? i.state : 'missing', ip, prot, snapshots])
    }
  }
  return table
}

export function register(program: Command): void {
  program
    .command('status')
    .description('declared vs actual, per domain and instance (state, IPv4, protection, snapshots)')
    .addOption(fileOption())
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  anklume status -f infra.yml')
    .action(async (opts: StatusOpts, cmd: Command) => {
      const { infra, level } = await loadInfra(opts.file, { quiet: true })
      const { describeTable, infraStatus, readIsolation } = await import('@anklume/engine')
      const g = globals(cmd)
      const [rows, isolation] = await withClient(g, (client) =>
        Promise.all([
          infraStatus(client, infra, { level }),
          // The isolation table is this machine's kernel's: only read for a local Incus.
          g.remote
            ? undefined
            : client.networks
                .list()
                .then((networks) =>
                  readIsolation(client, infra, { networks: networks as ObservedNetwork[] }, { level }),
                ),
        ]),
      )
      if (opts.json) printJson(rows)
      else {
        printTable(await statusTable(rows))
        if (isolation) out(describeTable(isolation.state))
      }
    })
}
