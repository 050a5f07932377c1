import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { NftListing } from './load.js'

/** Something on the host that may defeat or confuse the isolation table. */
export interface HostWarning {
  code:
    | 'BR_NETFILTER'
    | 'FORWARD_POLICY_DROP'
    | 'DOCKER_CHAINS'
    | 'UFW_CHAINS'
    | 'BRIDGES_NOT_HERE'
    /** Another anklume infra's isolation table is loaded on this host (apply says how they coexist). */
    | 'OTHER_INFRA_TABLES'
    /** Apply replaced an earlier table of this infra (the legacy shared `anklume`, or a renamed one). */
    | 'TABLE_REPLACED'
  message: string
  hint?: string
}

/** br_netfilter state: `/proc/sys/net/bridge` exists only when the module is loaded. */
export async function brNetfilterWarning(dir = '/proc/sys/net/bridge'): Promise<HostWarning | undefined> {
  let value: string
  try {
    value = (await readFile(join(dir, 'bridge-nf-call-iptables'), 'utf8')).trim()
  } catch {
    return undefined
  }
  return {
    code: 'BR_NETFILTER',
    message:
      `br_netfilter is loaded (bridge-nf-call-iptables=${value}): frames between instances of the same ` +
      'bridge also cross the forward hook. The anklume table accepts them (each bridge is paired with ' +
      'itself), but another firewall with a forward drop policy would cut traffic inside a domain.',
    hint: 'unless Docker or Kubernetes needs it: modprobe -r br_netfilter (or sysctl net.bridge.bridge-nf-call-iptables=0)',
  }
}

type Obj = Record<string, unknown>

/**
 * Reads `nft -j list ruleset` for forward chains that drop by default outside
 * our table and Incus's (iptables-nft `ip filter FORWARD` of Docker or ufw):
 * a drop there is final too, so they can block flows our policies allow.
 */
export function forwardPolicyWarnings(ruleset: NftListing, ownTable: string): HostWarning[] {
  const out: HostWarning[] = []
  const chains = ruleset.nftables
    .map((o) => o.chain as Obj | undefined)
    .filter((c): c is Obj => c !== undefined)
  const mine = (c: Obj) => (c.family === 'inet' && (c.table === ownTable || c.table === 'incus')) || false
  for (const c of chains) {
    if (mine(c) || c.hook !== 'forward' || c.policy !== 'drop') continue
    out.push({
      code: 'FORWARD_POLICY_DROP',
      message: `table ${String(c.family)} ${String(c.table)} chain ${String(c.name)} drops forwarded traffic by default: flows a policy allows may still be dropped there`,
      hint: 'Docker sets iptables FORWARD to drop: allow the anklume bridges in DOCKER-USER, or set "iptables": false / ufw DEFAULT_FORWARD_POLICY="ACCEPT"',
    })
  }
  const names = chains.map((c) => String(c.name))
  if (names.some((n) => n === 'DOCKER' || n === 'DOCKER-USER' || n.startsWith('DOCKER-'))) {
    out.push({
      code: 'DOCKER_CHAINS',
      message: 'Docker firewall chains are present: Docker may drop forwarded traffic between Incus bridges',
      hint: 'see https://linuxcontainers.org/incus/docs/main/howto/network_bridge_firewalld/ (Docker section)',
    })
  }
  if (names.some((n) => n.startsWith('ufw-'))) {
    out.push({
      code: 'UFW_CHAINS',
      message: 'ufw chains are present: ufw may drop forwarded traffic or instance DHCP/DNS',
      hint: 'ufw allow in on <bridge> / ufw route allow in on <bridge> for the anklume bridges',
    })
  }
  return out
}

/**
 * The table filters the network namespace it is loaded into. When none of
 * the domain bridges exist here, Incus's bridges live elsewhere (anklume
 * running in an admin container with the host's Incus socket proxied in):
 * loading here would protect nothing.
 */
export async function bridgesNotHereWarning(
  bridges: string[],
  sysClassNet = '/sys/class/net',
): Promise<HostWarning | undefined> {
  if (bridges.length === 0) return undefined
  const present = await Promise.all(
    bridges.map((b) =>
      access(join(sysClassNet, b)).then(
        () => true,
        () => false,
      ),
    ),
  )
  if (present.some(Boolean)) return undefined
  return {
    code: 'BRIDGES_NOT_HERE',
    message: `none of the ${bridges.length} domain bridges (${bridges.slice(0, 3).join(', ')}${bridges.length > 3 ? ', ...' : ''}) exist in this network namespace: the table only filters traffic here`,
    hint: 'run `anklume nft apply` on the host that runs Incus (not inside an instance), after `anklume apply` created the bridges',
  }
}
