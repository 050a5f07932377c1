/**
 * The dashboard page: renders the state the server pushes (server-sent
 * events, one message per change in Incus), the isolation map, the drift,
 * and — with --allow-actions — the machine buttons and a terminal (xterm.js
 * over the server's websocket to Incus exec).
 */
import '@xterm/xterm/css/xterm.css'
import './style.css'
import { renderMap } from './map.js'
import { openTerminal } from './terminal.js'
import type { DomainView, MachineView, State } from './types.js'

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string | undefined>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v)
  for (const c of children) if (c !== undefined) e.append(c)
  return e
}

function textOn(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16)
  const lin = (c: number) => {
    const v = c / 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255)
  return l > 0.179 ? '#000000' : '#ffffff'
}

const mib = (b: number | undefined) => (b === undefined ? '–' : `${(b / 1048576).toFixed(1)} MiB`)
const secs = (s: number | undefined) => (s === undefined ? '–' : `${s.toFixed(1)} s`)

function toast(message: string, bad = false): void {
  const t = $('toast')
  t.textContent = message
  t.dataset['bad'] = String(bad)
  t.classList.add('shown')
  setTimeout(() => t.classList.remove('shown'), 4000)
}

async function act(m: MachineView, action: string, snapshot?: string): Promise<void> {
  const res = await fetch(
    `/api/instances/${encodeURIComponent(m.project)}/${encodeURIComponent(m.instance)}/${action}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(snapshot ? { snapshot } : {}),
    },
  )
  const body = (await res.json().catch(() => ({}))) as { error?: string; detail?: string; outcome?: string }
  if (!res.ok) toast(`${action} ${m.machine}: ${body.error ?? res.status}`, true)
  else toast(`${action} ${m.machine}: ${body.outcome} ${body.detail ?? ''}`)
}

function actionsCell(m: MachineView): HTMLElement {
  const cell = el('td', { class: 'actions' })
  if (!m.managed || !m.exists) {
    cell.append(el('span', { class: 'muted' }, m.exists ? 'not managed' : ''))
    return cell
  }
  const button = (label: string, onClick: () => void, enabled = true) => {
    const b = el('button', { type: 'button', 'data-action': label }, label)
    b.disabled = !enabled
    b.addEventListener('click', onClick)
    cell.append(b)
  }
  const running = m.state === 'Running'
  const frozen = m.state === 'Frozen'
  const stopped = m.state === 'Stopped'
  button('start', () => void act(m, 'start'), stopped)
  button('stop', () => void act(m, 'stop'), running || frozen)
  button('restart', () => void act(m, 'restart'), running)
  button(frozen ? 'resume' : 'pause', () => void act(m, frozen ? 'resume' : 'pause'), running || frozen)
  button('snapshot', () => void act(m, 'snapshot'))
  if (m.snapshots.length > 0) {
    const select = el('select', { 'aria-label': `snapshot of ${m.machine} to restore` })
    for (const s of [...m.snapshots].reverse()) select.append(el('option', { value: s }, s))
    cell.append(select)
    button('restore', () => {
      if (confirm(`Restore ${m.machine} to snapshot ${select.value}? Changes since then are lost.`)) {
        void act(m, 'restore', select.value)
      }
    })
  }
  button('terminal', () => openTerminal(m), running)
  return cell
}

function machineRow(m: MachineView, d: DomainView, state: State): HTMLElement {
  const ip = m.ipv4.join(', ') || (m.declaredIp ? `(${m.declaredIp})` : '–')
  const snaps = el(
    'td',
    { 'data-field': 'snapshots', title: m.snapshots.join('\n') },
    String(m.snapshots.length),
  )
  const row = el(
    'tr',
    { 'data-machine': m.instance, 'data-domain': d.name, 'data-state': m.state },
    el(
      'td',
      { 'data-field': 'name' },
      m.machine,
      m.type === 'virtual-machine' ? el('span', { class: 'tag' }, 'vm') : undefined,
    ),
    el(
      'td',
      { 'data-field': 'state' },
      el('span', { class: `state state-${m.state.toLowerCase()}` }, m.state),
    ),
    el('td', { 'data-field': 'ipv4' }, ip),
    el('td', { 'data-field': 'cpu' }, secs(m.cpuSeconds)),
    el('td', { 'data-field': 'memory' }, mib(m.memoryBytes)),
    snaps,
    el('td', { 'data-field': 'protected' }, m.protected ? 'yes' : 'no'),
  )
  if (state.clustered) row.append(el('td', { 'data-field': 'location' }, m.location ?? '–'))
  if (state.allowActions) row.append(actionsCell(m))
  return row
}

function domainCard(d: DomainView, state: State): HTMLElement {
  const fg = textOn(d.colour)
  const head = el(
    'header',
    { style: `background:${d.colour};color:${fg}` },
    el('h2', {}, d.name),
    el('span', { class: 'trust', 'data-field': 'trust' }, d.trustLevel),
  )
  const meta = el(
    'p',
    { class: 'meta' },
    el('span', { 'data-field': 'subnet' }, d.subnet),
    ' · bridge ',
    el('span', { 'data-field': 'bridge' }, d.bridge ?? '–'),
    ' · project ',
    el('span', {}, d.project),
    d.enabled ? undefined : el('span', { class: 'tag' }, 'disabled'),
  )
  const missing = [!d.projectExists && 'project', !d.bridgeExists && 'bridge'].filter(Boolean)
  const columns = ['machine', 'state', 'IPv4', 'CPU', 'memory', 'snapshots', 'protected']
  if (state.clustered) columns.push('member')
  if (state.allowActions) columns.push('actions')
  const table = el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', {}, c)))),
    el('tbody', {}, ...d.machines.map((m) => machineRow(m, d, state))),
  )
  return el(
    'article',
    {
      class: 'domain',
      'data-domain': d.name,
      'data-trust': d.trustLevel,
      style: `border-color:${d.colour}`,
    },
    head,
    meta,
    missing.length > 0 ? el('p', { class: 'warn' }, `missing in Incus: ${missing.join(', ')}`) : undefined,
    d.machines.length > 0 ? table : el('p', { class: 'muted' }, 'no machines'),
  )
}

function renderDrift(state: State): void {
  const box = $('drift')
  box.replaceChildren()
  if ('pending' in state.drift) {
    box.append(el('p', { class: 'muted', id: 'drift-summary' }, 'computing the plan…'))
    return
  }
  if ('error' in state.drift) {
    box.append(el('p', { class: 'warn' }, `cannot plan: ${state.drift.error}`))
    return
  }
  const d = state.drift
  box.append(
    el(
      'p',
      { id: 'drift-summary', 'data-drift': String(d.actions.length) },
      d.summary,
      state.planning ? el('span', { class: 'muted', id: 'replanning' }, ' (re-planning…)') : undefined,
    ),
  )
  if (d.actions.length > 0) {
    box.append(
      el(
        'ul',
        { class: 'drift' },
        ...d.actions.map((a) =>
          el(
            'li',
            { 'data-op': a.op },
            el('code', {}, a.label),
            el('span', { class: 'muted' }, ` — ${a.reason}`),
          ),
        ),
      ),
    )
  }
  for (const w of d.warnings) box.append(el('p', { class: 'warn' }, w))
}

/** What decides each section's structure: an unchanged section is not rebuilt (a click is never lost). */
function domainsKey(state: State): string {
  return JSON.stringify({
    a: state.allowActions,
    c: state.clustered,
    d: state.domains.map((d) => [
      d.name,
      d.colour,
      d.bridge,
      d.projectExists,
      d.bridgeExists,
      d.machines.map((m) => [m.instance, m.state, m.snapshots, m.protected, m.managed, m.location, m.exists]),
    ]),
  })
}

let lastDomains = ''
let lastMap = ''
let lastDrift = ''

function patch(state: State): void {
  for (const d of state.domains) {
    for (const m of d.machines) {
      const row = document.querySelector(`tr[data-machine="${CSS.escape(m.instance)}"]`)
      if (!row) continue
      const set = (field: string, text: string) => {
        const cell = row.querySelector(`[data-field="${field}"]`)
        if (cell && cell.textContent !== text) cell.textContent = text
      }
      set('ipv4', m.ipv4.join(', ') || (m.declaredIp ? `(${m.declaredIp})` : '–'))
      set('cpu', secs(m.cpuSeconds))
      set('memory', mib(m.memoryBytes))
    }
  }
}

function render(state: State): void {
  $('infra').textContent = state.infra
  $('target').textContent = state.target
  const live = $('live')
  live.dataset['events'] = state.events
  live.textContent =
    state.events === 'connected' ? `live · ${new Date(state.observedAt).toLocaleTimeString()}` : state.events
  $('mode').textContent = state.allowActions ? 'actions enabled' : 'read-only'
  document.body.classList.toggle('actions', state.allowActions)
  const domains = domainsKey(state)
  if (domains !== lastDomains) {
    lastDomains = domains
    $('domains').replaceChildren(...state.domains.map((d) => domainCard(d, state)))
  } else patch(state)
  const map = JSON.stringify([state.graph, state.domains.map((d) => d.machines.map((m) => m.state))])
  if (map !== lastMap) {
    lastMap = map
    renderMap($('map'), state)
  }
  const drift = JSON.stringify([state.drift, state.planning])
  if (drift !== lastDrift) {
    lastDrift = drift
    renderDrift(state)
  }
}

function connect(): void {
  const source = new EventSource('/api/events')
  source.addEventListener('state', (e) => render(JSON.parse((e as MessageEvent<string>).data) as State))
  source.addEventListener('error', () => {
    const live = $('live')
    live.dataset['events'] = 'reconnecting'
    live.textContent = 'dashboard unreachable, retrying…'
  })
}

connect()
