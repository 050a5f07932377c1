import { escapeControl } from '@anklume/errors'
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
  // On an Incus cluster: a MEMBER column (where each instance runs).
  const clustered = rows.some((d) => d.instances.some((i) => i.location !== undefined))
  const head = ['DOMAIN', 'INSTANCE', 'TYPE', 'STATE', 'IPV4', 'PROTECTED', 'SNAPSHOTS']
  const table: string[][] = [clustered ? [...head.slice(0, 4), 'MEMBER', ...head.slice(4)] : head]
  const row = (cells: string[], member: string) =>
    clustered ? [...cells.slice(0, 4), member, ...cells.slice(4)] : cells
  for (const d of rows) {
    const missing = missingParts(d)
    if (d.instances.length === 0 || missing.length > 0) {
      const note = missing.length ? `(missing: ${missing.join(', ')})` : '(no machines)'
      table.push(row([d.domain, note, '', '', '', '', ''], ''))
    }
    for (const i of d.instances) {
      const ip = i.ipv4.join(',') || (i.declaredIp ? `(${i.declaredIp})` : '-')
      const prot = i.offline
        ? '?'
        : i.exists
          ? `${i.protected.actual ? 'yes' : 'no'}${protectionDrift(i) ? ' (drift)' : ''}`
          : i.protected.declared
            ? 'yes'
            : 'no'
      const type = i.declaredType === 'virtual-machine' ? 'vm' : 'lxc'
      const snapshots = i.offline ? '?' : String(i.snapshots ?? (i.exists ? 0 : '-'))
      const state = i.offline ? 'offline (member down)' : i.exists ? i.state : 'missing'
      table.push(row([d.domain, i.instance, type, state, ip, prot, snapshots], i.location ?? '-'))
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
      if (opts.json) printJson({ instances: rows })
      else {
        printTable(await statusTable(rows))
        if (isolation) out(escapeControl(describeTable(isolation.state)))
      }
    })
}
