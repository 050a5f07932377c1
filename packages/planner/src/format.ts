/**
 * Plan -> terraform-like text, one line per action (plus one per change of
 * multi-change updates). Control characters from the file or from Incus are
 * shown escaped (`\n`, `\u001b`), never sent to the terminal.
 */
import { escapeControl, hostAccessGrants } from '@anklume/schema'
import { createAttributes, lineDiff, wantsLineDiff } from './format-detail.js'
import { isBeside } from './order.js'
import type { Action, Change, Op, Plan } from './plan-types.js'

export interface FormatOptions {
  /** ANSI colours (off by default: the caller decides from TTY / NO_COLOR). */
  color?: boolean
}

const SIGN: Record<Op, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  start: '>',
  restart: '↻',
  rebuild: '±',
  move: '>>',
}

const COLOR: Record<Op | 'skip' | 'warn' | 'hostAccess', string> = {
  create: '32',
  update: '33',
  replace: '35',
  delete: '31',
  start: '36',
  restart: '33',
  rebuild: '35',
  move: '34',
  skip: '90',
  warn: '33',
  /** Bold red: the plan hands part of the host to an instance. */
  hostAccess: '1;31',
}

const MAX_VALUE = 80

function value(v: unknown): string {
  if (v === undefined) return '(none)'
  if (typeof v === 'string') {
    // Long values (cloud-init documents) are cut; devices and lists are shown whole.
    const text = JSON.stringify(v)
    return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${typeof x === 'string' ? x : JSON.stringify(x)}`)
      .join(', ')}}`
  }
  return JSON.stringify(v)
}

function changeText(c: Change): string {
  const what = c.key === undefined ? c.field : `${c.field} ${c.key}`
  if (c.to === undefined) return `${what}: ${value(c.from)} -> (removed)`
  if (c.from === undefined) return `${what} = ${value(c.to)}`
  return `${what}: ${value(c.from)} -> ${value(c.to)}`
}

export function formatChange(c: Change): string {
  return escapeControl(changeText(c))
}

/** What an action does, for progress lines and errors: `create network-acl acl-net-a`, `load nftables table inet anklume`. */
export function actionLabel(a: Action): string {
  if (a.kind === 'nft-table') return `${a.op === 'create' ? 'load' : 'reload'} nftables table inet ${a.name}`
  const kind = a.kind === 'acl' ? 'network-acl' : a.kind === 'zone' ? 'network-zone' : a.kind
  return `${a.op} ${kind} ${a.project === undefined ? '' : `${a.project}/`}${a.name}`
}

export function target(a: { kind: string; project?: string; name: string }): string {
  return escapeControl(`${a.kind} ${a.project === undefined ? '' : `${a.project}/`}${a.name}`)
}

/** `text` (escaped) in an ANSI colour when `on`. */
function paint(on: boolean, code: string, text: string): string {
  const safe = escapeControl(text)
  return on ? `\u001b[${code}m${safe}\u001b[0m` : safe
}

/** Host access of the instance or profile an action creates or changes (never on deletes and starts). */
function hostAccessOf(a: Action): string[] {
  if (a.kind === 'instance') return a.op === 'start' ? [] : (a.desired?.hostAccess ?? [])
  if (a.kind === 'profile' && a.desired) return hostAccessGrants(a.desired.config, a.desired.devices)
  return []
}

/** ACL, zone and table lines: one line each, as apply has always listed them. */
function besideLine(a: Action, color: boolean): string {
  if (a.kind === 'nft-table') {
    return a.op === 'create'
      ? paint(color, COLOR.create, `+ load nftables table inet ${a.name}`)
      : paint(color, COLOR.update, `~ reload nftables table inet ${a.name} (${a.reason})`)
  }
  const what = a.kind === 'acl' ? 'network-acl' : 'network-zone'
  return paint(color, COLOR[a.op], `${SIGN[a.op]} ${a.op} ${what} ${a.name}`)
}

/**
 * A change on its own lines: `key: from -> to`, or for a long or multi-line
 * string (cloud-init user-data) the key, then the line diff of its value.
 */
function changeBlock(c: Change, color: boolean): string[] {
  if (!wantsLineDiff(c.from, c.to)) return [`      ${formatChange(c)}`]
  const what = c.key === undefined ? c.field : `${c.field} ${c.key}`
  const verb = c.to === undefined ? 'removed' : c.from === undefined ? 'added' : 'changed'
  const mark = (l: string) => (l.startsWith('+') ? COLOR.create : l.startsWith('-') ? COLOR.delete : '')
  return [
    `      ${escapeControl(what)}: (${verb})`,
    ...lineDiff(c.from as string | undefined, c.to as string | undefined).map((l) => {
      const code = mark(l)
      return `        ${code ? paint(color, code, l) : escapeControl(l)}`
    }),
  ]
}

/** `      image:    images:debian/13` lines under a create, names aligned. */
function attributeLines(a: Action): string[] {
  const rows = createAttributes(a)
  const width = Math.max(0, ...rows.map(([k]) => k.length + 1))
  return rows.map(([k, v]) => `      ${`${k}:`.padEnd(width)} ${escapeControl(v)}`)
}

function actionLines(a: Action, color: boolean): string[] {
  const head = paint(color, COLOR[a.op], `${SIGN[a.op]} ${a.op} ${target(a)}`)
  const lines: string[] = []
  const shown =
    a.op === 'update' || a.op === 'replace' || a.op === 'rebuild' || a.op === 'move' ? a.changes : []
  const only = shown.length === 1 ? shown[0] : undefined
  if (only && !wantsLineDiff(only.from, only.to)) lines.push(`${head}  ${formatChange(only)}`)
  else if (shown.length > 0) lines.push(head, ...shown.flatMap((c) => changeBlock(c, color)))
  else if (a.op === 'create' || a.op === 'start') lines.push(head)
  else lines.push(`${head}  (${escapeControl(a.reason)})`)
  const access = hostAccessOf(a)
  if (access.length > 0)
    lines.push(paint(color, COLOR.hostAccess, `      !! host access: ${access.join(', ')}`))
  if (a.op === 'create') lines.push(...attributeLines(a))
  if (a.op === 'update' && a.restart) {
    lines.push(paint(color, COLOR.restart, `${SIGN.restart} restart ${target(a)}  (devices changed)`))
  }
  return lines
}

/** What the summary adds for ACLs, zones and the table: `2 network ACL/zone changes.` */
function besideNotes(plan: Plan): string[] {
  const notes: string[] = []
  const n = plan.summary.auxiliary
  if (n > 0) notes.push(`${n} network ACL/zone change${n > 1 ? 's' : ''}.`)
  const table = plan.actions.find((a) => a.kind === 'nft-table')
  if (table) notes.push(`nftables table inet ${table.name} to ${table.op === 'create' ? 'load' : 'reload'}.`)
  return notes
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary
  const notes = besideNotes(plan)
  if (plan.actions.every(isBeside)) {
    return notes.length === 0 ? 'No changes. Incus matches the infra file.' : `Plan: ${notes.join(' ')}`
  }
  const parts = [
    `${s.create} to create`,
    `${s.update} to update`,
    `${s.replace} to replace`,
    `${s.delete} to delete`,
    `${s.start} to start`,
    `${s.restart} to restart`,
    `${s.rebuild} to rebuild`,
  ]
  if (s.move > 0) parts.push(`${s.move} to move`)
  const plus = notes.length > 0 ? ` Plus ${notes.join(' ')}` : ''
  return `Plan: ${parts.join(', ')}${plan.skipped.length > 0 ? `; ${plan.skipped.length} skipped` : ''}.${plus}`
}

export function formatPlan(plan: Plan, opts: FormatOptions = {}): string {
  const color = opts.color === true
  const lines: string[] = []
  for (const a of plan.actions) if (!isBeside(a)) lines.push(...actionLines(a, color))
  for (const s of plan.skipped) {
    lines.push(paint(color, COLOR.skip, `! skip ${s.op} ${target(s)}: ${s.reason}`))
  }
  for (const w of plan.warnings) lines.push(paint(color, COLOR.warn, `warning: ${w}`))
  for (const a of plan.actions) if (isBeside(a)) lines.push(besideLine(a, color))
  if (lines.length > 0) lines.push('')
  lines.push(summaryLine(plan))
  return lines.join('\n')
}
