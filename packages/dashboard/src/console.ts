/**
 * `anklume console`: one tmux session, a window per domain, a pane per
 * running machine with a shell in it (`incus exec --project P NAME -- sh`),
 * pane borders and the window's status entry in the domain's trust colour
 * (QubesOS-style). `consolePlan` is pure (the tmux argument lists);
 * `runConsole` runs them with `tmux -L <socket>` when a socket is named.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { AnklumeError } from '@anklume/errors'
import type { DomainView } from './state.js'
import { textOn } from './trust.js'

const run = promisify(execFile)

export interface ConsoleOptions {
  /** tmux session name. */
  session: string
  /** The `incus` command (default `incus`); a remote is chosen with `remote` below. */
  incus?: string
  /** An `incus` CLI remote name (`remote:NAME`), for a non-local Incus. */
  remote?: string
  /** Shell run in each machine (default: bash if present, else sh). */
  shell?: string
}

/** A domain as the console draws it: its trust colour and its running machines. */
export type ConsoleDomain = Pick<DomainView, 'name' | 'colour' | 'trustLevel'> & {
  machines: Array<Pick<DomainView['machines'][number], 'instance' | 'project' | 'state' | 'machine'>>
}

/** POSIX shell quoting. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

const DEFAULT_SHELL = 'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi'

/** The shell command a machine's pane runs. */
export function paneCommand(m: { instance: string; project: string }, o: ConsoleOptions): string {
  const target = o.remote ? `${o.remote}:${m.instance}` : m.instance
  const incus = o.incus ?? 'incus'
  return [incus, 'exec', '--project', m.project, target, '--', 'sh', '-c', o.shell ?? DEFAULT_SHELL]
    .map(shQuote)
    .join(' ')
}

/** A pane of a domain without a running machine says so (and stays open). */
function idleCommand(domain: string): string {
  return `sh -c ${shQuote(`printf '%s\\n' ${shQuote(`domain ${domain}: no running machine`)}; exec cat >/dev/null`)}`
}

/**
 * The tmux commands (argument lists, without `tmux -L`) that build the
 * session: windows named after the domains, panes titled after the
 * machines, tiled, coloured by trust level.
 */
export function consolePlan(domains: readonly ConsoleDomain[], o: ConsoleOptions): string[][] {
  const s = o.session
  const cmds: string[][] = []
  const shown = domains
  if (shown.length === 0) {
    throw new AnklumeError('ANKLUME_USAGE', 'the infra file declares no domain: nothing to open in a console')
  }
  shown.forEach((d, i) => {
    // Windows by exact name and panes through the active one: right whatever
    // base-index / pane-base-index the user's tmux.conf sets.
    const w = `${s}:=${d.name}`
    const running = d.machines.filter((m) => m.state === 'Running')
    const first = running[0]
    const firstCmd = first ? paneCommand(first, o) : idleCommand(d.name)
    if (i === 0) cmds.push(['new-session', '-d', '-s', s, '-n', d.name, '-x', '200', '-y', '50', firstCmd])
    else cmds.push(['new-window', '-d', '-t', `${s}:`, '-n', d.name, firstCmd])
    cmds.push(['select-pane', '-t', w, '-T', first ? first.machine : d.name])
    for (const m of running.slice(1)) {
      cmds.push(['split-window', '-t', w, paneCommand(m, o)])
      cmds.push(['select-pane', '-t', w, '-T', m.machine])
      cmds.push(['select-layout', '-t', w, 'tiled'])
    }
    const fg = textOn(d.colour)
    const win = (option: string, value: string) => cmds.push(['set-option', '-w', '-t', w, option, value])
    win('pane-border-style', `fg=${d.colour}`)
    win('pane-active-border-style', `fg=${d.colour},bold`)
    win('pane-border-status', 'top')
    win('pane-border-format', ` #{pane_title} · ${d.name} (${d.trustLevel}) `)
    win('window-status-style', `fg=${fg},bg=${d.colour}`)
    win('window-status-current-style', `fg=${fg},bg=${d.colour},bold,reverse`)
    win('@anklume-trust', d.trustLevel)
    win('automatic-rename', 'off')
  })
  // The status line takes the trust colour of the window in front.
  const first = shown[0] as ConsoleDomain
  cmds.push(['set-option', '-t', s, 'status-style', `fg=${textOn(first.colour)},bg=${first.colour}`])
  cmds.push([
    'set-hook',
    '-t',
    s,
    'session-window-changed',
    'set-option -F status-style "#{window-status-style}"',
  ])
  cmds.push(['select-window', '-t', `${s}:=${first.name}`])
  return cmds
}

/** The tmux argument lists as shell lines (what `--dry-run` prints). */
export function renderTmux(cmds: readonly string[][], socket?: string): string[] {
  const base = socket ? ['tmux', '-L', socket] : ['tmux']
  return cmds.map((c) => [...base, ...c].map(shQuote).join(' '))
}

export interface RunConsoleOptions {
  /** tmux `-L` socket name (default: the user's default tmux server). */
  socket?: string
  /** Kill an existing session of that name first. */
  kill?: boolean
  tmux?: string
}

async function tmux(o: RunConsoleOptions, args: string[]): Promise<string> {
  const base = o.socket ? ['-L', o.socket] : []
  try {
    return (await run(o.tmux ?? 'tmux', [...base, ...args])).stdout
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string }
    if (err.code === 'ENOENT') {
      throw new AnklumeError('ANKLUME_USAGE', 'tmux is not installed', 'install it: apt-get install tmux')
    }
    throw new AnklumeError('ANKLUME_USAGE', `tmux ${args[0]} failed: ${(err.stderr ?? err.message).trim()}`)
  }
}

export async function sessionExists(session: string, o: RunConsoleOptions = {}): Promise<boolean> {
  try {
    await tmux(o, ['has-session', '-t', `=${session}`])
    return true
  } catch {
    return false
  }
}

/**
 * Builds the session (after killing it with `kill`); an existing session is
 * left as is ('exists'), to be attached to.
 */
export async function runConsole(
  cmds: readonly string[][],
  session: string,
  o: RunConsoleOptions = {},
): Promise<'created' | 'exists'> {
  if (await sessionExists(session, o)) {
    if (!o.kill) return 'exists'
    await tmux(o, ['kill-session', '-t', `=${session}`])
  }
  for (const c of cmds) await tmux(o, c)
  return 'created'
}
