import { escapeControl } from '@anklume/errors'
import type { Command } from 'commander'
import { EXIT_FAILURE, EXIT_OK } from '../errors.js'
import { findInfra } from '../helpers/infra-file.js'
import { fileOption } from '../helpers/options.js'
import { globals, out, printJson, useColor, withClient } from '../helpers/shared.js'

interface DoctorOpts {
  file?: string
  json?: boolean
}

const MARK = { ok: 'ok   ', warn: 'WARN ', error: 'ERROR' } as const
const COLOR = { ok: '\x1b[32m', warn: '\x1b[33m', error: '\x1b[31m' } as const

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      "check the host: Incus, storage, id maps, nftables, br_netfilter, Ansible's incus plugin, overlaps, drift",
    )
    .addOption(fileOption('infra file (default ./infra.yml or ./infra/base.yml if present)'))
    .option('--json', 'print the findings as JSON')
    .addHelpText(
      'after',
      '\nExit status 1 when a check is an error.\n\nExamples:\n  anklume doctor\n  anklume doctor --json',
    )
    .action(async (o: DoctorOpts, cmd: Command) => {
      const g = globals(cmd)
      const { doctorFailed, evaluateDoctor, gatherDoctorFacts } = await import('@anklume/engine')
      const { resolveSocketPath } = await import('@anklume/incus-client')
      const loaded = await findInfra(o.file)
      const facts = await withClient(g, (client) =>
        gatherDoctorFacts(client, {
          ...(g.remote ? { remote: g.remote } : { socketPath: g.socket ?? resolveSocketPath() }),
          ...(loaded
            ? { infra: { infra: loaded.infra, level: loaded.level, source: o.file ?? 'infra.yml' } }
            : {}),
        }),
      )
      const findings = evaluateDoctor(facts)
      const failed = doctorFailed(findings)
      if (o.json) printJson({ findings })
      else {
        const color = useColor(g)
        for (const f of findings) {
          const mark = color ? `${COLOR[f.status]}${MARK[f.status]}\x1b[0m` : MARK[f.status]
          const where = f.scope ? ` [${escapeControl(f.scope)}]` : ''
          out(`${mark}  ${f.check.padEnd(20)}  ${escapeControl(f.message)}${where}`)
          if (f.hint && f.status !== 'ok') out(`${' '.repeat(29)}hint: ${escapeControl(f.hint)}`)
        }
        const n = (s: string) => findings.filter((f) => f.status === s).length
        out(`\n${n('error')} error(s), ${n('warn')} warning(s), ${n('ok')} ok`)
        if (findings.some((f) => f.scope))
          out('[this machine]: about the machine running anklume, not the Incus it drives')
      }
      process.exitCode = failed ? EXIT_FAILURE : EXIT_OK
    })
}
