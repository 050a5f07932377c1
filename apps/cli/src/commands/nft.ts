import { isAnklumeError } from '@anklume/errors'
import type { HostWarning } from '@anklume/host'
import type { GenerateOptions, IsolationModel, ModelOptions } from '@anklume/nftables'
import type { ObservedState } from '@anklume/planner'
import type { Infra } from '@anklume/schema'
import type { Command } from 'commander'
import { CliError, EXIT_OK } from '../errors.js'
import { loadInfra } from '../helpers/infra-file.js'
import { fileOption } from '../helpers/options.js'
import { type GlobalOptions, globals, out, printJson, withClient } from '../helpers/shared.js'

interface NftOpts {
  file?: string
  json?: boolean
}

/**
 * Loads the infra and generates its ruleset (pure part, no root needed).
 * Without `foreign` (print, install) the ruleset knows no other infra: its
 * foreign_bridges set is empty. `nft apply` and `nft diff` pass the other
 * infras' bridges read from Incus, like `apply` does.
 */
async function generate(
  file: string | undefined,
  host?: (model: IsolationModel) => Promise<GenerateOptions>,
  foreign?: (infra: Infra) => ModelOptions,
) {
  const { generateRuleset, isolationModel } = await import('@anklume/nftables')
  const { infra, level } = await loadInfra(file)
  const model = isolationModel(infra, { level, ...foreign?.(infra) })
  const ruleset = generateRuleset(model, await host?.(model))
  for (const s of ruleset.model.skipped) {
    process.stderr.write(`note: network_policies[${s.policy}] needs no rule: ${s.reason}\n`)
  }
  return ruleset
}

/** The bridges of the other anklume infras, read from Incus (a table is per host: never --remote). */
async function foreignBridges(g: GlobalOptions, what: string): Promise<(infra: Infra) => ModelOptions> {
  if (g.remote) {
    throw new CliError(
      'ANKLUME_USAGE',
      `nft ${what} reads the table of THIS host's kernel, so it cannot target a --remote Incus`,
      `run \`anklume nft ${what}\` on the Incus host itself`,
    )
  }
  const networks = await withClient(g, (client) => client.networks.list())
  const { isolationInputs } = await import('@anklume/engine')
  return (infra) => isolationInputs({ networks: networks as ObservedState['networks'] }, infra)
}

function warn(w: { message: string; hint?: string | undefined }) {
  process.stderr.write(`warning: ${w.message}\n${w.hint ? `  hint: ${w.hint}\n` : ''}`)
}

/** `nft apply` (and `apply --nft-only`): generate, check with nft -c, load; root and the nftables driver needed. */
export async function loadTable(
  file: string | undefined,
  g: GlobalOptions,
  asJson: boolean | undefined,
): Promise<void> {
  const { applyRuleset, requireRoot } = await import('@anklume/host')
  if (g.remote) {
    throw new CliError(
      'ANKLUME_USAGE',
      "nft apply loads the table into THIS host's kernel, so it cannot target a --remote Incus",
      'run `anklume nft apply` on the Incus host itself',
    )
  }
  requireRoot()
  const [firewallDriver, networks] = await withClient(g, (client) =>
    Promise.all([client.server().then((s) => s.environment?.firewall), client.networks.list()]),
  )
  // Like apply: other infras' bridges are dropped, their tables left alone.
  const { coexistence, isolationInputs } = await import('@anklume/engine')
  const { listRuleset } = await import('@anklume/host')
  let coexisting: HostWarning[] = []
  const r = await generate(
    file,
    async (model) => {
      const host = coexistence(await listRuleset().catch(() => undefined), model)
      coexisting = host.warnings
      return { replaces: host.replaces }
    },
    (infra) => isolationInputs({ networks: networks as ObservedState['networks'] }, infra),
  )
  const applied = await applyRuleset(r, { firewallDriver })
  const res = { ...applied, warnings: [...coexisting, ...applied.warnings] }
  if (asJson) printJson({ ...res, stats: r.stats })
  else {
    for (const w of res.warnings) warn(w)
    out(`loaded table inet ${res.table}: ${r.stats.rules} rules, ${r.stats.elements} set elements`)
  }
  process.exitCode = EXIT_OK
}

export function register(program: Command): void {
  const nft = program
    .command('nft')
    .description('the nftables isolation table: print (default) | apply | diff | install')
    .addHelpText(
      'after',
      `
One table per infra (default inet anklume_<project_name>, global.isolation.table)
drops traffic between domain bridges except what network_policies allow, and
between them and other anklume infras' bridges (apply, nft apply and nft diff
read those from Incus; print and install know none); it is replaced atomically.

Examples:
  anklume nft -f infra.yml            # print the ruleset (nothing is loaded)
  anklume nft --json | jq .result    # the same as libnftables JSON
  anklume nft | sudo nft -c -f -      # let the kernel check it
  sudo anklume nft apply              # check, then load it
  sudo anklume nft diff               # what loading would change
  sudo anklume nft install            # persist it: /etc/nftables.d + include in /etc/nftables.conf`,
    )

  // The default subcommand, so `anklume nft -f x` and `anklume nft apply -f x`
  // both give -f to the command that uses it.
  nft
    .command('print', { isDefault: true })
    .description('print the ruleset (nft text, or libnftables JSON with --json); loads nothing')
    .addOption(fileOption())
    .option('--json', 'print libnftables JSON instead of nft text')
    .action(async (opts: NftOpts) => {
      const r = await generate(opts.file)
      if (opts.json) printJson(r.json)
      else out(r.text)
      process.exitCode = EXIT_OK
    })

  nft
    .command('apply')
    .description("check (nft -c) then load the table; needs root and Incus's nftables firewall driver")
    .addOption(fileOption())
    .option('--json', 'print the result as JSON')
    .action((opts: NftOpts, cmd: Command) => loadTable(opts.file, globals(cmd), opts.json))

  nft
    .command('diff')
    .description(
      "show what loading the table would change against the live one, other infras' bridges included (needs root)",
    )
    .addOption(fileOption())
    .option('--json', 'print the diff as JSON')
    .option(
      '--detailed-exitcode',
      'exit 0 when the live table is up to date, 2 when it differs, 3 on invalid input',
    )
    .action(async (opts: NftOpts & { detailedExitcode?: boolean }, cmd: Command) => {
      const { listTable } = await import('@anklume/host')
      const { diffRulesets } = await import('@anklume/nftables')
      let r: Awaited<ReturnType<typeof generate>>
      try {
        // Validate first (exit 3 on a bad file), then read the other infras' bridges.
        await loadInfra(opts.file)
        r = await generate(opts.file, undefined, await foreignBridges(globals(cmd), 'diff'))
      } catch (e) {
        if (!opts.detailedExitcode || !isAnklumeError(e, 'ANKLUME_SCHEMA_INVALID')) throw e
        process.stderr.write(`error: ${(e as Error).message}\n`)
        process.exitCode = 3
        return
      }
      const live = await listTable(r.model.table)
      const d = diffRulesets(live, r.json)
      if (opts.json) printJson({ table: r.model.table, exists: live !== undefined, ...d })
      else {
        if (!live) out(`table inet ${r.model.table} is not loaded: applying would create it`)
        for (const l of d.removed) out(`- ${l}`)
        for (const l of d.added) out(`+ ${l}`)
        if (d.reordered) out('~ same rules, in a different order')
        if (d.same) out(`table inet ${r.model.table} is up to date`)
      }
      process.exitCode = opts.detailedExitcode && !d.same ? 2 : EXIT_OK
    })

  nft
    .command('install')
    .description(
      'persist the table across reboots: write it under /etc/nftables.d and include it from nftables.conf',
    )
    .addOption(fileOption())
    .option('--dir <dir>', 'directory of the table file', '/etc/nftables.d')
    .option('--conf <file>', 'nftables config that must include it', '/etc/nftables.conf')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
nftables.service loads the config at boot, before Incus adds its own table; the
file only replaces the anklume table. A config starting with "flush ruleset"
(Debian's default) wipes Incus's table too whenever nftables.service restarts:
restart Incus afterwards. Idempotent: running it twice changes nothing.`,
    )
    .action(async (opts: NftOpts & { dir: string; conf: string }) => {
      const { installRuleset } = await import('@anklume/host')
      const r = await generate(opts.file)
      const res = await installRuleset(r, { dir: opts.dir, conf: opts.conf })
      if (opts.json) printJson(res)
      else {
        out(`${res.fileChanged ? 'wrote' : 'unchanged'} ${res.file}`)
        out(
          res.includeAdded
            ? `added: include "${res.file}" to ${res.conf}`
            : `${res.conf} already includes it`,
        )
        for (const n of res.notes) warn({ message: n })
        out('load it now with: sudo anklume nft apply')
      }
      process.exitCode = EXIT_OK
    })
}
