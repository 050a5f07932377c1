import type { Infra } from '@anklume/schema'
import { buildGraph, clusterCaption, type GraphEndpoint, TRUST_COLORS } from './model.js'

const q = (s: string): string => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`

/** Node of an endpoint, plus the cluster an edge must clip to when it is a domain. */
function at(e: GraphEndpoint): { node: string; cluster?: string } {
  if (e.kind === 'host') return { node: q('host') }
  if (e.kind === 'machine') return { node: q(`m:${e.name}`) }
  return { node: q(`d:${e.name}`), cluster: q(`cluster_${e.name}`) }
}

/**
 * Graphviz DOT: one cluster per domain (an invisible anchor node lets flows
 * point at the domain itself), machines with their IPs, flows as labelled
 * edges (`dir=both` when bidirectional), the policy description as tooltip.
 */
export function renderDot(infra: Infra): string {
  const g = buildGraph(infra)
  const out = [
    `digraph ${q(g.title)} {`,
    `  graph [rankdir=LR, compound=true, fontname="Helvetica", label=${q(g.title)}, labelloc=t];`,
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ]
  if (g.host) out.push('  "host" [label="host", shape=house];')
  for (const c of g.clusters) {
    out.push(`  subgraph ${q(`cluster_${c.name}`)} {`)
    out.push(`    label=${q(clusterCaption(c, '\n'))};`)
    if (c.trustLevel) out.push(`    color=${q(TRUST_COLORS[c.trustLevel])}; penwidth=2;`)
    if (!c.enabled) out.push('    style=dashed;')
    out.push(`    ${q(`d:${c.name}`)} [shape=point, style=invis, width=0, label=""];`)
    for (const m of c.machines) {
      const label = `${m.name}${m.type === 'vm' ? ' (vm)' : ''}\n${m.ip ?? 'dhcp'}`
      out.push(`    ${q(`m:${m.name}`)} [label=${q(label)}];`)
    }
    out.push('  }')
  }
  for (const e of g.edges) {
    const from = at(e.from)
    const to = at(e.to)
    const attrs = [`label=${q(e.label)}`]
    if (e.description) attrs.push(`tooltip=${q(e.description)}`)
    if (from.cluster) attrs.push(`ltail=${from.cluster}`)
    if (to.cluster) attrs.push(`lhead=${to.cluster}`)
    if (e.bidirectional) attrs.push('dir=both')
    out.push(`  ${from.node} -> ${to.node} [${attrs.join(', ')}];`)
  }
  out.push('}')
  return `${out.join('\n')}\n`
}
