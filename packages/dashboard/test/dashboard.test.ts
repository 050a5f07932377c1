/**
 * The dashboard in a real browser (Debian's Chromium via playwright-core)
 * against the real Incus, and the console in a real tmux:
 * - the page lists the test infra's domains in their trust colours and the
 *   machines with the IPv4 Incus reports;
 * - a machine stopped with the `incus` CLI turns Stopped in the page
 *   without a reload (Incus's event stream), and the drift shows its start;
 * - the isolation map draws the domains and the allowed flow;
 * - the buttons (snapshot, pause/resume) go through the engine and the page
 *   follows; the terminal runs `hostname` in a machine;
 * - without the token every request is refused (401); with the token, an
 *   action is refused (403) on a read-only dashboard, from another origin,
 *   and on an instance anklume does not manage;
 * - `console` builds a tmux session (own socket): a window per domain, a
 *   pane per running machine titled after it, borders in the trust colour,
 *   and the pane's shell runs inside the machine.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createClient, type IncusClient } from '@anklume/incus-client'
import { runPrefix, setupHttpsRemote, useTestInfra } from '@anklume/test-utils'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  consolePlan,
  type Dashboard,
  domainsOf,
  runConsole,
  startDashboard,
  trustColour,
} from '../src/index.js'
import { engineDriver, launchChromium } from './helpers.js'

const run = promisify(execFile)
const P = runPrefix()
const DA = `${P}da`
const DB = `${P}db`
const A1 = `${P}-da1`
const A2 = `${P}-da2`
const B1 = `${P}-db1`
const TMUX = `${P}-console`

const infra = useTestInfra(engineDriver, {
  name: 'dash',
  domains: (base) => `  ${DA}:
    subnet_id: 1
    nat: false
    ephemeral: true
    trust_level: trusted
    machines:
      ${A1}: {}
      ${A2}: {}
  ${DB}:
    subnet_id: 2
    nat: false
    ephemeral: true
    trust_level: untrusted
    machines:
      ${B1}: { ip: ${base}.2.10 }
network_policies:
  - { from: ${DA}, to: ${B1}, ports: [22], description: admin ssh }
`,
})

let client: IncusClient
let browser: Browser
let readOnly: Dashboard
let actions: Dashboard
const shots = join(tmpdir(), `${P}-dashboard-shots`)

/** `rgb(r, g, b)` of `#rrggbb`, as getComputedStyle reports colours. */
const rgb = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16)
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`
}

async function ipOf(project: string, name: string): Promise<string> {
  for (let i = 0; i < 80; i++) {
    const st = await client.instances.state(name, { project })
    const ip = st.network?.['eth0']?.addresses?.find((a) => a.family === 'inet')?.address
    if (ip) return ip
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${project}/${name} never got an IPv4`)
}

async function openPage(d: Dashboard): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  await page.goto(d.url)
  await page.waitForSelector(`[data-machine="${B1}"]`)
  return page
}

/** The terminal's screen, one line per row. */
const screenText = async (page: Page) =>
  (await page.locator('#terminal .xterm-rows > div').allTextContents()).join('\n')

const stateOf = (page: Page, instance: string) =>
  page.locator(`tr[data-machine="${instance}"] [data-field="state"]`).textContent()

beforeAll(async () => {
  client = createClient()
  mkdirSync(shots, { recursive: true })
  browser = await launchChromium()
  // CPU/memory re-reads every second here, so the DHCP addresses show up soon.
  readOnly = await startDashboard({ client, infra: infra.current.infra, metricsIntervalMs: 1000 })
  actions = await startDashboard({
    client,
    infra: infra.current.infra,
    allowActions: true,
    metricsIntervalMs: 1000,
  })
})

afterAll(async () => {
  await readOnly?.close()
  await actions?.close()
  await browser?.close()
  await run('tmux', ['-L', TMUX, 'kill-server']).catch(() => undefined)
  await client?.close()
})

describe('anklume dashboard', () => {
  it('lists the domains in their trust colours and the machines with their IPv4', async () => {
    const page = await openPage(readOnly)
    const projectA = infra.current.infra.domains.find((d) => d.name === DA)?.name as string
    for (const [domain, trust] of [
      [DA, 'trusted'],
      [DB, 'untrusted'],
    ] as const) {
      const card = page.locator(`article.domain[data-domain="${domain}"]`)
      await expect.poll(() => card.getAttribute('data-trust'), { timeout: 30_000 }).toBe(trust)
      const border = await card.evaluate(
        (e) => e.ownerDocument.defaultView?.getComputedStyle(e).borderTopColor,
      )
      expect(border).toBe(rgb(trustColour(trust)))
      expect(await card.locator('[data-field="subnet"]').textContent()).toMatch(/^10\.\d+\.\d+\.0\/24$/)
      expect(await card.locator('[data-field="bridge"]').textContent()).toMatch(/^net-/)
    }
    for (const [domain, name] of [
      [DA, A1],
      [DA, A2],
      [DB, B1],
    ] as const) {
      const ip = await ipOf(domain === DA ? projectA : DB, name)
      await expect
        .poll(() => page.locator(`tr[data-machine="${name}"] [data-field="ipv4"]`).textContent(), {
          timeout: 30_000,
        })
        .toBe(ip)
      expect(await stateOf(page, name)).toBe('Running')
      expect(await page.locator(`tr[data-machine="${name}"]`).getAttribute('data-domain')).toBe(domain)
    }
    // Read-only: no buttons.
    expect(await page.locator('button[data-action]').count()).toBe(0)
    await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true })
    await page.close()
  })

  it('a machine stopped with the incus CLI turns Stopped without a reload; the drift shows its start', async () => {
    const page = await openPage(readOnly)
    await page.evaluate(() => {
      ;(globalThis as unknown as { notReloaded: boolean }).notReloaded = true
    })
    expect(await stateOf(page, A2)).toBe('Running')
    await run('incus', ['stop', '--force', '--project', DA, A2])
    const stoppedAt = Date.now()
    await expect.poll(() => stateOf(page, A2), { timeout: 30_000, interval: 50 }).toBe('Stopped')
    console.log(`dashboard: Stopped shown ${Date.now() - stoppedAt} ms after \`incus stop\` returned`)
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    )
    await expect
      .poll(() => page.locator('#drift-summary').textContent(), { timeout: 90_000 })
      .toMatch(/1 to start/)
    expect(await page.locator('ul.drift li[data-op="start"]').textContent()).toContain(A2)
    await run('incus', ['start', '--project', DA, A2])
    await expect.poll(() => stateOf(page, A2), { timeout: 30_000, interval: 50 }).toBe('Running')
    await expect
      .poll(() => page.locator('#drift-summary').textContent(), { timeout: 90_000 })
      .toMatch(/No changes/)
    await page.close()
  })

  it('draws the isolation map: the domains in their colours and the allowed flow', async () => {
    const page = await openPage(readOnly)
    const box = page.locator(`#map-svg g[data-map-domain="${DA}"] rect`).first()
    expect(await box.getAttribute('stroke')).toBe(trustColour('trusted'))
    expect(
      await page.locator(`#map-svg g[data-map-domain="${DB}"] rect`).first().getAttribute('stroke'),
    ).toBe(trustColour('untrusted'))
    const flow = page.locator(`#map-svg line[data-flow="domain:${DA}->machine:${B1}"]`)
    expect(await flow.count()).toBe(1)
    expect(await page.locator('#map-svg .map-label').allTextContents()).toContain('tcp 22')
    await page.close()
  })

  it('buttons: snapshot, pause/resume, restore, stop/start go through the engine and the page follows', async () => {
    const page = await openPage(actions)
    const row = page.locator(`tr[data-machine="${B1}"]`)
    const before = Number(await row.locator('[data-field="snapshots"]').textContent())
    await row.locator('button[data-action="snapshot"]').click()
    await expect
      .poll(async () => Number(await row.locator('[data-field="snapshots"]').textContent()), {
        timeout: 30_000,
      })
      .toBe(before + 1)
    expect((await client.snapshots.list(B1, { project: DB })).length).toBe(before + 1)
    await row.locator('button[data-action="pause"]').click()
    await expect.poll(() => page.locator('#toast').textContent(), { timeout: 30_000 }).toMatch(/pause/)
    expect(await page.locator('#toast').textContent()).toBe(`pause ${B1}: changed Frozen`)
    await expect.poll(() => stateOf(page, B1), { timeout: 30_000 }).toBe('Frozen')
    expect((await client.instances.state(B1, { project: DB })).status).toBe('Frozen')
    await row.locator('button[data-action="resume"]').click()
    await expect.poll(() => stateOf(page, B1), { timeout: 30_000 }).toBe('Running')
    // Restore the snapshot (the page asks first: accepted here).
    page.on('dialog', (d) => void d.accept())
    await client.exec(B1, ['sh', '-c', 'echo after > /root/mark'], { project: DB })
    await row.locator('button[data-action="restore"]').click()
    await expect.poll(() => page.locator('#toast').textContent(), { timeout: 30_000 }).toMatch(/^restore /)
    expect(await page.locator('#toast').textContent()).toMatch(/: changed snap-/)
    expect(
      (await client.exec(B1, ['sh', '-c', 'cat /root/mark 2>&1'], { project: DB })).stdout,
    ).not.toContain('after')
    // stop / start of another machine (setPower).
    const a2 = page.locator(`tr[data-machine="${A2}"]`)
    await a2.locator('button[data-action="stop"]').click()
    await expect.poll(() => stateOf(page, A2), { timeout: 30_000 }).toBe('Stopped')
    await a2.locator('button[data-action="start"]').click()
    await expect.poll(() => page.locator('#toast').textContent(), { timeout: 60_000 }).toMatch(/^start /)
    expect(await page.locator('#toast').textContent()).toBe(`start ${A2}: changed Running`)
    await expect.poll(() => stateOf(page, A2), { timeout: 30_000 }).toBe('Running')
    await page.close()
  })

  it('the terminal runs hostname in a machine', async () => {
    const page = await openPage(actions)
    await page.locator(`tr[data-machine="${A1}"] button[data-action="terminal"]`).click()
    const term = page.locator('#terminal .xterm')
    await term.waitFor()
    await expect.poll(() => screenText(page), { timeout: 30_000 }).toMatch(/#|\$/)
    await term.click()
    await page.keyboard.type('hostname\n')
    await expect.poll(() => screenText(page), { timeout: 30_000 }).toMatch(new RegExp(`^${A1}$`, 'm'))
    // The page says when the drift is being re-computed; the picture waits for the new plan.
    await expect.poll(() => page.locator('#replanning').count(), { timeout: 90_000 }).toBe(0)
    await page.screenshot({ path: join(shots, 'dashboard-terminal.png') })
    await page.close()
  })

  it('refuses requests without the token (401) and actions when read-only, cross-origin or unmanaged (403)', async () => {
    const post = (d: Dashboard, path: string, headers: Record<string, string> = {}) =>
      fetch(`${d.origin}${path}`, { method: 'POST', headers, redirect: 'manual' })
    const action = `/api/instances/${DB}/${B1}/stop`
    // No token: nothing at all.
    expect((await fetch(`${readOnly.origin}/`)).status).toBe(401)
    expect((await fetch(`${readOnly.origin}/api/state`)).status).toBe(401)
    expect((await fetch(`${actions.origin}/api/state?token=wrong-token-wrong-token`)).status).toBe(401)
    expect((await post(actions, action, { origin: actions.origin })).status).toBe(401)
    const auth = (d: Dashboard) => ({ authorization: `Bearer ${d.token}`, origin: d.origin })
    // Token but read-only.
    const ro = await post(readOnly, action, auth(readOnly))
    expect(ro.status).toBe(403)
    expect(((await ro.json()) as { error: string }).error).toMatch(/--allow-actions/)
    // Token, actions on, but another origin (or none).
    expect((await post(actions, action, { ...auth(actions), origin: 'http://evil.example' })).status).toBe(
      403,
    )
    expect((await post(actions, action, { authorization: `Bearer ${actions.token}` })).status).toBe(403)
    // An instance anklume does not manage / a project outside the infra.
    expect((await post(actions, `/api/instances/default/${B1}/stop`, auth(actions))).status).toBe(403)
    // The terminal websocket follows the same rules.
    const upgrade = (d: Dashboard, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${d.origin}/api/terminal/${DB}/${B1}`, {
          headers: {
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-version': '13',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
            ...headers,
          },
        })
        req.on('response', (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        req.on('upgrade', (res, socket) => {
          socket.destroy()
          resolve(res.statusCode ?? 0)
        })
        req.on('error', reject)
        req.end()
      })
    expect(await upgrade(readOnly, auth(readOnly))).toBe(403)
    expect(await upgrade(actions, { origin: actions.origin })).toBe(401)
    // Nothing was stopped.
    expect((await client.instances.state(B1, { project: DB })).status).toBe('Running')
    // No CORS: a preflight gets no Access-Control-* header.
    const pre = await fetch(`${actions.origin}${action}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(pre.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses a non-loopback address without --listen', async () => {
    await expect(
      startDashboard({ client, infra: infra.current.infra, host: '0.0.0.0' }),
    ).rejects.toMatchObject({
      code: 'ANKLUME_USAGE',
      hint: expect.stringMatching(/pass --listen/),
    })
  })
})

describe('anklume dashboard against a remote Incus (HTTPS, pinned certificate)', () => {
  it('shows the machines and follows Incus events over the remote (no CPU/memory tick)', async () => {
    const env = await setupHttpsRemote(`${P}r`)
    const remote = createClient({
      remote: { url: env.url, cert: env.trusted.cert, key: env.trusted.key, serverCert: env.serverCert },
    })
    const d = await startDashboard({ client: remote, infra: infra.current.infra, metricsIntervalMs: 0 })
    try {
      type Api = {
        target: string
        events: string
        domains: Array<{ machines: Array<{ instance: string; state: string; snapshots: string[] }> }>
      }
      const get = async () =>
        (await (
          await fetch(`${d.origin}/api/state`, { headers: { authorization: `Bearer ${d.token}` } })
        ).json()) as Api
      const b1 = (s: Api) => s.domains.flatMap((x) => x.machines).find((m) => m.instance === B1)
      const first = await get()
      expect(first.target).toBe(env.url)
      expect(first.events).toBe('connected')
      expect(b1(first)?.state).toBe('Running')
      const before = b1(first)?.snapshots.length ?? 0
      // Behind the dashboard's back, through the local socket.
      await client.snapshots.create(B1, { name: 'viaremote' }, { project: DB })
      // Only an event can refresh this dashboard (metricsIntervalMs: 0).
      await expect.poll(async () => b1(await get())?.snapshots, { timeout: 30_000 }).toContain('viaremote')
      expect(b1(await get())?.snapshots.length).toBe(before + 1)
    } finally {
      await d.close()
      await remote.close()
      await env.close()
    }
  })
})

describe('anklume console', () => {
  it('builds one tmux session: a window per domain, a pane per running machine, trust colours', async () => {
    const { domains } = await domainsOf(client, infra.current.infra, { level: 1 })
    const session = `${P}-infra`
    const plan = consolePlan(domains, { session })
    expect(await runConsole(plan, session, { socket: TMUX })).toBe('created')
    expect(await runConsole(plan, session, { socket: TMUX })).toBe('exists')
    const tmux = async (...args: string[]) => (await run('tmux', ['-L', TMUX, ...args])).stdout.trim()
    expect((await tmux('list-windows', '-t', session, '-F', '#{window_name}')).split('\n')).toEqual([DA, DB])
    const panes = async (domain: string) =>
      (await tmux('list-panes', '-t', `${session}:=${domain}`, '-F', '#{pane_title}')).split('\n').sort()
    await expect.poll(() => panes(DA), { timeout: 30_000 }).toEqual([A1, A2].sort())
    expect(await panes(DB)).toEqual([B1])
    for (const [domain, trust] of [
      [DA, 'trusted'],
      [DB, 'untrusted'],
    ] as const) {
      const opt = (name: string) => tmux('show-options', '-w', '-v', '-t', `${session}:=${domain}`, name)
      expect(await opt('pane-border-style')).toBe(`fg=${trustColour(trust)}`)
      expect(await opt('window-status-style')).toContain(`bg=${trustColour(trust)}`)
      expect(await opt('@anklume-trust')).toBe(trust)
    }
    expect(await tmux('show-options', '-v', '-t', session, 'status-style')).toContain(
      `bg=${trustColour('trusted')}`,
    )
    // The status line follows the window in front.
    await tmux('select-window', '-t', `${session}:=${DB}`)
    await expect
      .poll(() => tmux('show-options', '-v', '-t', session, 'status-style'), { timeout: 5_000 })
      .toContain(`bg=${trustColour('untrusted')}`)
    // The pane's shell runs inside the machine.
    await tmux('send-keys', '-t', `${session}:=${DB}`, 'hostname', 'Enter')
    await expect
      .poll(() => tmux('capture-pane', '-p', '-t', `${session}:=${DB}`), { timeout: 30_000 })
      .toMatch(new RegExp(`^${B1}$`, 'm'))
    // --kill rebuilds it.
    expect(await runConsole(plan, session, { socket: TMUX, kill: true })).toBe('created')
  })
})

afterAll(() => {
  // Refresh the documentation's screenshots on request (ANKLUME_DOCS_SCREENSHOTS=1).
  if (process.env.ANKLUME_DOCS_SCREENSHOTS !== '1') return
  const docs = fileURLToPath(new URL('../../../docs/img/', import.meta.url))
  mkdirSync(docs, { recursive: true })
  for (const f of ['dashboard.png', 'dashboard-terminal.png']) copyFileSync(join(shots, f), join(docs, f))
})
