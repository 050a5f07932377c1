import { requireNftablesDriver } from './driver.js'
import { NftError } from './errors.js'
import {
  bridgesNotHereWarning,
  brNetfilterWarning,
  forwardPolicyWarnings,
  type HostWarning,
} from './host-checks.js'
import { checkRuleset, listRuleset, loadRuleset } from './load.js'
import type { RunNftOptions } from './run.js'

export interface ApplyRulesetOptions extends RunNftOptions {
  /** Incus's firewall driver (`GET /1.0` → `environment.firewall`). */
  firewallDriver: string | undefined
  /** Where br_netfilter exposes its sysctls (tests point it elsewhere). */
  bridgeSysctlDir?: string
  /** Where network interfaces are listed (default /sys/class/net). */
  sysClassNet?: string
}

export interface ApplyRulesetResult {
  table: string
  warnings: HostWarning[]
}

const isRoot = () => typeof process.getuid !== 'function' || process.getuid() === 0

/** Loading nftables needs root: fail early, saying which command to run instead. */
export function requireRoot(): void {
  if (isRoot()) return
  throw new NftError(
    'ANKLUME_NFT_NOT_ROOT',
    'loading the nftables table needs root (CAP_NET_ADMIN)',
    'run: sudo anklume nft apply   (or: anklume nft > anklume.nft && sudo nft -f anklume.nft)',
  )
}

/**
 * Loads a generated ruleset on the host: refuses unless Incus uses nftables,
 * collects host warnings (br_netfilter, Docker/ufw forward policies), checks
 * with `nft -c -f`, then loads with `nft -f` (one atomic transaction).
 */
export async function applyRuleset(
  ruleset: { text: string; model: { table: string; domains?: Array<{ bridge: string; enabled: boolean }> } },
  opts: ApplyRulesetOptions,
): Promise<ApplyRulesetResult> {
  requireNftablesDriver(opts.firewallDriver)
  if (!opts.netns) requireRoot()
  const warnings: HostWarning[] = []
  const br = await brNetfilterWarning(opts.bridgeSysctlDir)
  if (br) warnings.push(br)
  const bridges = (ruleset.model.domains ?? []).filter((d) => d.enabled).map((d) => d.bridge)
  const elsewhere = await bridgesNotHereWarning(bridges, opts.sysClassNet)
  if (elsewhere) warnings.push(elsewhere)
  warnings.push(...forwardPolicyWarnings(await listRuleset(opts), ruleset.model.table))
  await checkRuleset(ruleset.text, opts)
  await loadRuleset(ruleset.text, opts)
  return { table: ruleset.model.table, warnings }
}
