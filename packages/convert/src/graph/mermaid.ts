import type { Infra } from '@anklume/schema'
import { buildGraph, clusterCaption, type GraphEndpoint, TRUST_COLORS } from './model.js'

/** Mermaid ids: names match `[a-z0-9-]`, so `-` → `_` cannot collide. */
function id(e: GraphEndpoint): string {
  if (e.kind === 'host') return 'host'
  return `${e.kind === 'domain' ? 'd' : 'm'}_${e.name.replaceAll('-', '_')}`
}

const text = (s: string): string => `"${s.replaceAll('"', '#quot;')}"`

/** A Mermaid flowchart: one subgraph per domain, machines with their IPs, flows as labelled arrows. */
export function renderMermaid(infra: Infra): string {
  const g = buildGraph(infra)
  const out = ['flowchart LR']
  if (g.host) out.push('  host(("host"))')
  const styles: string[] = []
  for (const c of g.clusters) {
    const cid = id({ kind: 'domain', name: c.name })
    out.push(`  subgraph ${cid}[${text(clusterCaption(c, ' · '))}]`)
    for (const m of c.machines) {
      const label = [m.name + (m.type === 'vm' ? ' (vm)' : ''), m.ip ?? 'dhcp'].join('<br/>')
      out.push(`    ${id({ kind: 'machine', name: m.name })}[${text(label)}]`)
    }
    out.push('  end')
    const colour = c.trustLevel ? `stroke:${TRUST_COLORS[c.trustLevel]},stroke-width:2px` : ''
    const dashed = c.enabled ? '' : 'stroke-dasharray:5 5'
    const style = [colour, dashed].filter(Boolean).join(',')
    if (style) styles.push(`  style ${cid} ${style}`)
  }
  for (const e of g.edges) {
    out.push(`  ${id(e.from)} ${e.bidirectional ? '<-->' : '-->'}|${text(e.label)}| ${id(e.to)}`)
  }
  return `${[...out, ...styles].join('\n')}\n`
}
