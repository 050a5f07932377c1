/** Domain-level rules: names, bridge name length, reserved names, DNS zones. */
import { DNS_ZONE_RE, NAME_RE } from './formats.js'
import type { IssueSink } from './issues.js'
import { bridgeName, bridgeNameOverflow, MAX_BRIDGE_NAME, type NamingOptions } from './naming.js'
import type { View } from './view.js'

/** Names that would clash with Incus's own project or the policy keyword. */
export const RESERVED_DOMAIN_NAMES = ['default', 'host']

export function checkDomains(view: View, naming: NamingOptions, sink: IssueSink): void {
  for (const d of view.domains) {
    if (!NAME_RE.test(d.name)) {
      sink.error(
        'INVALID_NAME',
        d.path,
        `domain name "${d.name}" must be lowercase letters, digits and inner hyphens`,
        'pattern ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$',
        'key',
      )
    } else if (RESERVED_DOMAIN_NAMES.includes(d.name)) {
      sink.error(
        'RESERVED_NAME',
        d.path,
        `"${d.name}" cannot be a domain name (${d.name === 'host' ? 'policy keyword' : "Incus's own project"})`,
        undefined,
        'key',
      )
    }
    const over = bridgeNameOverflow(d.name, naming)
    if (over > 0) {
      const name = bridgeName(d.name, naming)
      sink.error(
        'BRIDGE_NAME_TOO_LONG',
        d.path,
        `bridge name "${name}" is ${name.length} characters; Linux allows ${MAX_BRIDGE_NAME}`,
        `shorten the domain name by ${over} character${over > 1 ? 's' : ''}${naming.nestingPrefix ? ' (the nesting prefix takes 4)' : ''}`,
        'key',
      )
    }
    if (d.profiles.has('default')) {
      sink.error(
        'RESERVED_NAME',
        [...d.path, 'profiles', 'default'],
        'a domain profile cannot be named "default": anklume fills the project\'s default profile (root disk, eth0)',
        "rename it and list it in the machines' profiles",
        'key',
      )
    }
    const zone = d.raw.dns_zone
    if (typeof zone === 'string' && !DNS_ZONE_RE.test(zone)) {
      sink.error(
        'INVALID_DNS_ZONE',
        [...d.path, 'dns_zone'],
        `"${zone}" is not a DNS zone name like "lab.internal"`,
      )
    }
    const project = view.raw.project_name
    if (zone === true && typeof project === 'string' && !DNS_ZONE_RE.test(project)) {
      sink.error(
        'INVALID_DNS_ZONE',
        [...d.path, 'dns_zone'],
        `dns_zone: true uses the project name "${project}" as zone, which is not a valid DNS name`,
        'write the zone explicitly, e.g. dns_zone: lab.internal',
      )
    }
  }
}
