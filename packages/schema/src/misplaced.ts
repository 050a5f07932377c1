/** Hints for keys written at the wrong level (`ip` on a domain, `subnet_id` on a machine). */
import { Domain } from './raw-domain.js'
import { Global, Infra, NetworkPolicy } from './raw-infra.js'
import { Machine } from './raw-machine.js'

const LEVELS: Array<{ where: string; keys: string[] }> = [
  { where: 'the top level', keys: Object.keys(Infra.shape) },
  { where: 'global', keys: Object.keys(Global.shape) },
  { where: 'a domain (domains.<name>)', keys: Object.keys(Domain.shape) },
  { where: 'a machine (domains.<d>.machines.<name>)', keys: Object.keys(Machine.shape) },
  { where: 'a network policy (network_policies[i])', keys: Object.keys(NetworkPolicy.shape) },
]

/** `"ip" belongs to a machine (…)`, or undefined when the key is known nowhere else. */
export function misplacedHint(key: string, knownHere: readonly string[]): string | undefined {
  if (knownHere.includes(key)) return undefined
  const levels = LEVELS.filter((l) => l.keys.includes(key) && l.keys.join() !== knownHere.join())
  if (levels.length === 0) return undefined
  return `"${key}" belongs to ${levels.map((l) => l.where).join(' or ')}`
}
