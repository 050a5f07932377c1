/**
 * The isolation map: the model of `anklume graph` (domains as boxes of
 * machines in their trust colour, the host when a policy names it, arrows for
 * the allowed flows) drawn as SVG. Domains sit on a grid, sorted by trust
 * level; arrows run between box edges with the ports as labels.
 */
import type { GraphEndpoint, State } from './types.js'

const NS = 'http://www.w3.org/2000/svg'
const BOX_W = 230
const ROW_H = 22
const HEAD_H = 30
const GAP_X = 90
const GAP_Y = 70
const ORDER = ['admin', 'trusted', 'semi-trusted', 'untrusted', 'disposable']

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v))
  if (text !== undefined) e.textContent = text
  return e
}

interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** Where an arrow from the centre of `r` towards (tx, ty) leaves the box. */
function edgePoint(r: Rect, tx: number, ty: number): [number, number] {
  const cx = r.x + r.w / 2
  const cy = r.y + r.h / 2
  const dx = tx - cx
  const dy = ty - cy
  if (dx === 0 && dy === 0) return [cx, cy]
  const sx = dx === 0 ? Number.POSITIVE_INFINITY : r.w / 2 / Math.abs(dx)
  const sy = dy === 0 ? Number.POSITIVE_INFINITY : r.h / 2 / Math.abs(dy)
  const s = Math.min(sx, sy)
  return [cx + dx * s, cy + dy * s]
}

export function renderMap(container: HTMLElement, state: State): void {
  const g = state.graph
  const colours = new Map(state.domains.map((d) => [d.name, d.colour]))
  const live = new Map(
    state.domains.flatMap((d) => d.machines.map((m) => [`${d.name}/${m.machine}`, m.state] as const)),
  )
  const clusters = [...g.clusters].sort(
    (a, b) => ORDER.indexOf(a.trustLevel ?? 'semi-trusted') - ORDER.indexOf(b.trustLevel ?? 'semi-trusted'),
  )
  const cols = Math.max(1, Math.min(4, Math.ceil(Math.sqrt(clusters.length))))
  const top = g.host ? 90 : 20
  const rects = new Map<string, Rect>()
  const rowHeights: number[] = []
  clusters.forEach((c, i) => {
    const row = Math.floor(i / cols)
    rowHeights[row] = Math.max(rowHeights[row] ?? 0, HEAD_H + Math.max(1, c.machines.length) * ROW_H + 12)
  })
  const rowTop = (row: number) => top + rowHeights.slice(0, row).reduce((a, h) => a + h + GAP_Y, 0)
  const root = svg('svg', {
    role: 'img',
    'aria-label': `isolation map of ${g.title}`,
    id: 'map-svg',
  })
  const defs = svg('defs', {})
  const marker = svg('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 8,
    markerHeight: 8,
    orient: 'auto-start-reverse',
  })
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#333' }))
  defs.append(marker)
  root.append(defs)
  const boxes = svg('g', {})
  clusters.forEach((c, i) => {
    const col = i % cols
    const row = Math.floor(i / cols)
    const h = HEAD_H + Math.max(1, c.machines.length) * ROW_H + 12
    const r = { x: 20 + col * (BOX_W + GAP_X), y: rowTop(row), w: BOX_W, h }
    rects.set(`domain:${c.name}`, r)
    const colour = colours.get(c.name) ?? '#888888'
    const group = svg('g', { 'data-map-domain': c.name })
    group.append(
      svg('rect', {
        x: r.x,
        y: r.y,
        width: r.w,
        height: r.h,
        rx: 8,
        fill: '#ffffff',
        stroke: colour,
        'stroke-width': 3,
        'stroke-dasharray': c.enabled ? '' : '6 4',
      }),
      svg('rect', { x: r.x, y: r.y, width: r.w, height: HEAD_H - 6, rx: 8, fill: colour }),
      svg(
        'text',
        { x: r.x + 10, y: r.y + 17, class: 'map-title', fill: contrast(colour) },
        `${c.name} · ${c.subnet}`,
      ),
    )
    c.machines.forEach((m, j) => {
      const y = r.y + HEAD_H + j * ROW_H
      const st = live.get(`${c.name}/${m.name}`) ?? 'missing'
      rects.set(`machine:${m.name}`, { x: r.x + 8, y, w: r.w - 16, h: ROW_H - 4 })
      group.append(
        svg('circle', { cx: r.x + 16, cy: y + 8, r: 5, class: `dot state-${st.toLowerCase()}` }),
        svg('text', { x: r.x + 28, y: y + 12, class: 'map-machine' }, `${m.name}${m.ip ? `  ${m.ip}` : ''}`),
      )
    })
    boxes.append(group)
  })
  const width = 40 + Math.min(cols, Math.max(1, clusters.length)) * (BOX_W + GAP_X) - GAP_X
  if (g.host) {
    const r = { x: width / 2 - 60, y: 20, w: 120, h: 36 }
    rects.set('host', r)
    boxes.append(
      svg('rect', { x: r.x, y: r.y, width: r.w, height: r.h, rx: 18, fill: '#eeeeee', stroke: '#333' }),
      svg('text', { x: r.x + r.w / 2, y: r.y + 23, 'text-anchor': 'middle', class: 'map-title' }, 'host'),
    )
  }
  const key = (e: GraphEndpoint) => (e.kind === 'host' ? 'host' : `${e.kind}:${e.name}`)
  const arrows = svg('g', { class: 'flows' })
  for (const e of g.edges) {
    const a = rects.get(key(e.from))
    const b = rects.get(key(e.to))
    if (!a || !b) continue
    const [x1, y1] = edgePoint(a, b.x + b.w / 2, b.y + b.h / 2)
    const [x2, y2] = edgePoint(b, a.x + a.w / 2, a.y + a.h / 2)
    const line = svg('line', {
      x1,
      y1,
      x2,
      y2,
      stroke: '#333',
      'stroke-width': 1.6,
      'marker-end': 'url(#arrow)',
      ...(e.bidirectional ? { 'marker-start': 'url(#arrow)' } : {}),
      'data-flow': `${key(e.from)}->${key(e.to)}`,
    })
    const title = svg('title', {}, e.description || e.label)
    line.append(title)
    const mx = (x1 + x2) / 2
    const my = (y1 + y2) / 2
    const label = svg('text', { x: mx, y: my - 4, 'text-anchor': 'middle', class: 'map-label' }, e.label)
    arrows.append(line, label)
  }
  root.append(boxes, arrows)
  const height = rowTop(rowHeights.length - 1) + (rowHeights[rowHeights.length - 1] ?? 0) + 20
  root.setAttribute('viewBox', `0 0 ${Math.max(width, 300)} ${Math.max(height, 80)}`)
  root.setAttribute('width', String(Math.max(width, 300)))
  root.setAttribute('height', String(Math.max(height, 80)))
  if (g.edges.length === 0) {
    const p = document.createElement('p')
    p.className = 'muted'
    p.textContent = 'No network policy: no flow between domains is allowed.'
    container.replaceChildren(root, p)
  } else container.replaceChildren(root)
}

function contrast(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16)
  const l = (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255
  return l > 0.6 ? '#000000' : '#ffffff'
}
