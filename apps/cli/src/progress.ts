import { escapeControl } from '@anklume/errors'
import type { Action } from '@anklume/planner'

/** What the executor reports (structurally @anklume/engine's ExecuteEvent). */
export type ProgressEvent =
  | { type: 'start'; action: Action }
  | {
      type: 'finish'
      action: Action
      result: {
        status: 'done' | 'failed' | 'blocked' | 'cancelled'
        error?: unknown
        blockedBy?: string
        durationMs: number
      }
    }

const MARK = { done: '✓', failed: '✗', blocked: '-', cancelled: '·' } as const

/**
 * Same words as @anklume/planner's actionLabel (kept here so the CLI starts
 * without loading the planner); names are escaped (escapeControl) like every
 * value a progress line prints.
 */
export function actionLabel(a: Action): string {
  if (a.kind === 'nft-table')
    return escapeControl(`${a.op === 'create' ? 'load' : 'reload'} nftables table inet ${a.name}`)
  const kind = a.kind === 'acl' ? 'network-acl' : a.kind === 'zone' ? 'network-zone' : a.kind
  return escapeControl(`${a.op} ${kind} ${a.project ? `${a.project}/` : ''}${a.name}`)
}

/** An error's message for a progress or summary line, escaped. */
export function messageOf(error: unknown): string {
  const m = (error as Error | undefined)?.message
  return escapeControl(typeof m === 'string' ? m : String(error))
}

/**
 * The error of a failed action, said once: the engine already prefixes the
 * server's message with the action's label (`create instance a/b: …`), so the
 * label is not added a second time.
 */
export function failureLine(a: Action, error: unknown): string {
  const label = actionLabel(a)
  const message = messageOf(error)
  return message.startsWith(`${label}: `) ? message : `${label}: ${message}`
}

function finishLine(e: Extract<ProgressEvent, { type: 'finish' }>): string {
  const { result } = e
  const secs = (result.durationMs / 1000).toFixed(1)
  switch (result.status) {
    case 'done':
      return `${MARK.done} ${actionLabel(e.action)} (${secs}s)`
    case 'failed':
      return `${MARK.failed} ${failureLine(e.action, result.error)}`
    case 'blocked':
      return `${MARK.blocked} ${actionLabel(e.action)}: not run, ${escapeControl(String(result.blockedBy))} failed`
    default:
      return `${MARK.cancelled} ${actionLabel(e.action)}: cancelled`
  }
}

/**
 * Progress of an apply: on a terminal, one line per finished action plus a
 * live status line (done/total, running actions, elapsed time); otherwise
 * plain, greppable lines only.
 */
export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr) {
  const live = stream.isTTY === true
  const started = Date.now()
  const running = new Set<string>()
  let finished = 0
  const status = () => {
    if (!live) return
    const names = [...running].slice(0, 3).join(', ')
    const more = running.size > 3 ? ` +${running.size - 3}` : ''
    const secs = ((Date.now() - started) / 1000).toFixed(1)
    stream.write(`\r\x1b[K[${finished}/${total}] ${secs}s${names ? `  running: ${names}${more}` : ''}`)
  }
  const timer = live ? setInterval(status, 250) : undefined
  timer?.unref()
  return {
    onEvent(e: ProgressEvent) {
      if (e.type === 'start') {
        running.add(actionLabel(e.action))
      } else {
        running.delete(actionLabel(e.action))
        finished++
        stream.write(`${live ? '\r\x1b[K' : ''}${finishLine(e)}\n`)
      }
      status()
    },
    stop() {
      if (timer) clearInterval(timer)
      if (live) stream.write('\r\x1b[K')
    },
  }
}
