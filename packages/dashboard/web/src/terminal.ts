/** A terminal in a machine: xterm.js over the dashboard's websocket (Incus exec on a pty). */
import { FitAddon } from '@xterm/addon-fit'
import { Terminal } from '@xterm/xterm'
import type { MachineView } from './types.js'

let current: { close(): void } | undefined

export function openTerminal(m: MachineView): void {
  current?.close()
  const panel = document.getElementById('terminal-panel') as HTMLElement
  const host = document.getElementById('terminal') as HTMLElement
  const title = document.getElementById('terminal-title') as HTMLElement
  panel.hidden = false
  panel.dataset['machine'] = m.instance
  title.textContent = `${m.project}/${m.instance}`
  host.replaceChildren()
  const term = new Terminal({ cursorBlink: true, fontSize: 14, convertEol: false })
  const fit = new FitAddon()
  term.loadAddon(fit)
  term.open(host)
  fit.fit()
  const q = new URLSearchParams({ cols: String(term.cols), rows: String(term.rows) })
  const proto = location.protocol === 'https:' ? 'wss' : 'ws'
  const ws = new WebSocket(
    `${proto}://${location.host}/api/terminal/${encodeURIComponent(m.project)}/${encodeURIComponent(m.instance)}?${q}`,
  )
  ws.binaryType = 'arraybuffer'
  ws.addEventListener('message', (e) => {
    if (typeof e.data === 'string') {
      const msg = JSON.parse(e.data) as { type: string; code?: number; message?: string }
      if (msg.type === 'exit') term.write(`\r\n[process exited with code ${msg.code}]\r\n`)
      if (msg.type === 'error') term.write(`\r\n[terminal failed: ${msg.message}]\r\n`)
      return
    }
    term.write(new Uint8Array(e.data as ArrayBuffer))
  })
  ws.addEventListener('close', () => term.write('\r\n[disconnected]\r\n'))
  term.onData((data) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'input', data }))
  })
  term.onResize(({ cols, rows }) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'resize', cols, rows }))
  })
  const onWindowResize = () => fit.fit()
  window.addEventListener('resize', onWindowResize)
  term.focus()
  const close = () => {
    window.removeEventListener('resize', onWindowResize)
    ws.close()
    term.dispose()
    panel.hidden = true
    current = undefined
  }
  current = { close }
  ;(document.getElementById('terminal-close') as HTMLButtonElement).onclick = close
}
