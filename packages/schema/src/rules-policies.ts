/** network_policies rules: targets exist, machine targets have an address; ai_access_policy. */
import type { AddressPlan } from './addressing.js'
import { FIREWALL_DOMAIN, FIREWALL_MACHINE } from './firewall-vm.js'
import type { IssueSink } from './issues.js'
import { didYouMean, listNames } from './suggest.js'
import { allMachines, type View, type ViewMachine, type ViewPolicy } from './view.js'

export const AI_TOOLS = 'ai-tools'

/** The sys-firewall VM that firewall_mode vm adds (with its .253 address) is a valid target. */
function addedFirewall(view: View, name: string): boolean {
  return (
    name === FIREWALL_MACHINE &&
    view.global.firewall_mode === 'vm' &&
    view.domains.some((d) => d.name === FIREWALL_DOMAIN) &&
    !view.machines.some((m) => m.name === FIREWALL_MACHINE)
  )
}

function checkTarget(
  view: View,
  plan: AddressPlan,
  p: ViewPolicy,
  field: 'from' | 'to',
  sink: IssueSink,
): void {
  const name = p.raw[field]
  if (typeof name !== 'string' || name === 'host' || addedFirewall(view, name)) return
  const path = [...p.path, field]
  const domain = view.domains.find((d) => d.name === name)
  const machine = view.machines.find((m) => m.name === name)
  if (domain && machine) {
    sink.error(
      'AMBIGUOUS_TARGET',
      path,
      `"${name}" is both a domain and a machine (in domain "${machine.domain}")`,
      'rename one of them',
    )
    return
  }
  if (!domain && !machine) {
    const valid = ['host', ...view.domains.map((d) => d.name), ...allMachines(view).map((m) => m.name)]
    const hint = didYouMean(name, valid)
    sink.error(
      'UNKNOWN_TARGET',
      path,
      `"${name}" is not a domain, a machine or host; valid targets: ${listNames(valid, 20)}`,
      hint,
    )
    return
  }
  if (machine && !plan.ips.has(machine)) {
    sink.error(
      'TARGET_WITHOUT_IP',
      path,
      `machine "${name}" has no static ip, so a policy cannot address it`,
      `give "${name}" an ip (domains.${machine.domain}.machines.${name}.ip) in .1–.99`,
    )
  }
}

/** Does the policy let traffic into the ai-tools domain (directly or through a bidirectional rule)? */
function targetsAiTools(view: View, p: ViewPolicy): boolean {
  const inAi = (n: unknown) =>
    n === AI_TOOLS || allMachines(view).some((m: ViewMachine) => m.name === n && m.domain === AI_TOOLS)
  return inAi(p.raw.to) || (p.raw.bidirectional === true && inAi(p.raw.from))
}

function checkAiAccess(view: View, sink: IssueSink): void {
  if (view.global.ai_access_policy !== 'exclusive') return
  const names = view.domains.map((d) => d.name)
  const def = view.global.ai_access_default
  if (def === undefined) {
    sink.error(
      'MISSING_KEY',
      ['global', 'ai_access_default'],
      'ai_access_default is required when ai_access_policy is exclusive',
      'name the domain allowed to reach ai-tools',
    )
  } else if (def === AI_TOOLS) {
    sink.error(
      'INVALID_VALUE',
      ['global', 'ai_access_default'],
      'ai_access_default must be a client domain, not ai-tools',
    )
  } else if (typeof def === 'string' && !names.includes(def)) {
    sink.error(
      'UNKNOWN_DOMAIN',
      ['global', 'ai_access_default'],
      `"${def}" is not a domain of this infra`,
      didYouMean(def, names) ?? `domains: ${listNames(names)}`,
    )
  }
  if (!names.includes(AI_TOOLS)) {
    sink.error(
      'AI_TOOLS_MISSING',
      ['global', 'ai_access_policy'],
      'ai_access_policy exclusive needs a domain named "ai-tools"',
      'add an ai-tools domain or set ai_access_policy: open',
    )
  }
  const targeting = view.policies.filter((p) => targetsAiTools(view, p))
  for (const p of targeting.slice(1)) {
    sink.error(
      'AI_ACCESS_EXCLUSIVE',
      p.path,
      `only one network policy may target ai-tools with ai_access_policy exclusive (first: network_policies[${targeting[0]?.index}])`,
      'remove this policy or set ai_access_policy: open',
    )
  }
}

export function checkPolicies(view: View, plan: AddressPlan, sink: IssueSink): void {
  for (const p of view.policies) {
    checkTarget(view, plan, p, 'from', sink)
    checkTarget(view, plan, p, 'to', sink)
    if (p.raw.from === 'host' && p.raw.to === 'host')
      sink.error('INVALID_POLICY', p.path, 'a policy from host to host means nothing')
  }
  checkAiAccess(view, sink)
}
