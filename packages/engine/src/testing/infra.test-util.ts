/** A small infra with network ACLs and a DNS zone, parsed like a real infra file. */
import { type Infra, loadFromString } from '@anklume/schema'

export const auxInfraYaml = (on: boolean) => `
project_name: lab
global:
  base_subnet: "10.140"
  default_os_image: images:debian/13
  isolation: { network_acls: ${on} }
domains:
  front:
    subnet_id: 1
    ephemeral: true
${on ? '    dns_zone: lab.internal\n' : ''}    machines:
      web: { ip: "10.140.1.10" }
  back:
    subnet_id: 2
    ephemeral: true
    machines:
      cli: { ip: "10.140.2.10" }
network_policies:
  - { from: back, to: web, ports: [80] }
`

export function auxInfra(on: boolean): Infra {
  const res = loadFromString(auxInfraYaml(on), 'infra.yml')
  if (!res.ok) throw new Error(res.issues.map((i) => `${i.path}: ${i.message}`).join('\n'))
  return res.infra
}

/** A generated transaction as `nft -j list ruleset` shows it once loaded: its `add` objects. */
export function asListing(json: { nftables: unknown[] }): { nftables: Array<Record<string, unknown>> } {
  return {
    nftables: json.nftables.flatMap((c) => {
      const add = (c as { add?: Record<string, unknown> }).add
      return add ? [add] : []
    }),
  }
}
