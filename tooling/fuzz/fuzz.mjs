/**
 * The fuzz campaign: seeded mutants of the corpus files (mutate.mjs), each
 * checked in a worker thread under a time budget (check.mjs; over budget =
 * a hang: the worker is killed and replaced), the tables of the valid ones
 * checked by the kernel's parser with `nft -c -f` in batches (tables of
 * distinct names per batch; a failing batch is split to find the table).
 * Needs `pnpm build` and root (nft -c needs CAP_NET_ADMIN).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { mutate, rng } from './mutate.mjs'

export const CORPUS_DIR = fileURLToPath(
  new URL('../../packages/schema/test/fixtures/corpus/', import.meta.url),
)

/** The corpus: every .yml under the fixture directory, sorted (a seed replays the same mutants). */
export function corpusFiles(dir = CORPUS_DIR) {
  const out = []
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(d, e.name))
      else if (/\.ya?ml$/.test(e.name)) out.push(join(d, e.name))
    }
  }
  walk(dir)
  return out.map((path) => ({ path, name: path.slice(dir.length), text: readFileSync(path, 'utf8') }))
}

class Checker {
  constructor(budgetMs) {
    this.budgetMs = budgetMs
    this.next = 0
  }
  async start() {
    // Plain node resolution (built dist/), whatever conditions the parent runs with (vitest's source one).
    this.worker = new Worker(new URL('./worker.mjs', import.meta.url), { execArgv: [] })
    this.worker.unref()
    await new Promise((resolve, reject) => {
      this.worker.once('message', resolve)
      this.worker.once('error', reject)
    })
  }
  budgetFor(text) {
    return Math.round(this.budgetMs + text.length * 0.3)
  }
  /** The worker's reply, or `{ hang: true }` when the budget ran out (the worker is replaced). */
  async check(text, file) {
    const id = this.next++
    const worker = this.worker
    const reply = await new Promise((resolve) => {
      // The budget grows with the text: the checks parse a mutant four times, and the YAML
      // parser takes up to ~20 ms per KB of alias-heavy text on a loaded 2-core machine.
      const timer = setTimeout(() => resolve({ hang: true }), this.budgetFor(text))
      const onMessage = (m) => {
        if (m.id !== id) return
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('error', onError)
        resolve(m)
      }
      const onError = (e) => {
        clearTimeout(timer)
        worker.off('message', onMessage)
        resolve({ problems: [`worker crashed: ${e?.message ?? e}`], valid: false, crashed: true })
      }
      worker.on('message', onMessage)
      worker.once('error', onError)
      worker.postMessage({ id, text, file })
    })
    if (reply.hang || reply.crashed) {
      await worker.terminate()
      await this.start()
    }
    return reply
  }
  stop() {
    return this.worker?.terminate()
  }
}

function nftCheck(texts) {
  const dir = mkdtempSync(join(tmpdir(), 'anklume-fuzz-nft-'))
  try {
    const file = join(dir, 'batch.nft')
    writeFileSync(file, texts.join('\n'))
    const r = spawnSync('nft', ['-c', '-f', file], { encoding: 'utf8' })
    if (r.error) throw new Error(`nft could not run: ${r.error.message} (install nftables)`)
    return { ok: r.status === 0, stderr: r.stderr }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** nft -c of many tables: batches of distinct table names; a failing batch is split down to its culprits. */
export function nftCheckAll(items, batchSize = 40) {
  const failures = []
  const check = (group) => {
    if (group.length === 0) return
    const r = nftCheck(group.map((i) => i.table.text))
    if (r.ok) return
    if (group.length === 1) {
      failures.push({ item: group[0], stderr: r.stderr })
      return
    }
    const half = Math.ceil(group.length / 2)
    check(group.slice(0, half))
    check(group.slice(half))
  }
  let pending = [...items]
  let calls = 0
  while (pending.length > 0) {
    const names = new Set()
    const batch = []
    const rest = []
    for (const i of pending) {
      if (batch.length < batchSize && !names.has(i.table.name)) {
        names.add(i.table.name)
        batch.push(i)
      } else rest.push(i)
    }
    check(batch)
    calls++
    pending = rest
  }
  return { failures, batches: calls }
}

/**
 * Runs `runs` mutants from `seed` (`only`: generates them all, checks mutant
 * `only` alone, to replay one defect). Returns counts and the defects found
 * (each with its seed, index, corpus file, mutations and the mutant's text).
 */
export async function runFuzz({
  seed,
  runs,
  budgetMs = 30_000,
  corpus = corpusFiles(),
  only,
  onProgress,
} = {}) {
  if (process.getuid?.() !== 0)
    throw new Error('the fuzz campaign runs nft -c, which needs root (CAP_NET_ADMIN): run it as root')
  const random = rng(seed)
  const checker = new Checker(budgetMs)
  await checker.start()
  const defects = []
  const tables = []
  const counts = { runs: 0, valid: 0, invalid: 0, hangs: 0, slowestMs: 0, slowest: '' }
  const started = performance.now()
  try {
    for (let i = 0; i < runs; i++) {
      const source = corpus[Math.floor(random() * corpus.length)]
      const { text, mutations } = mutate(random, source.text)
      if (only !== undefined && i !== only) continue
      const file = `fuzz-${i}.yml`
      const reply = await checker.check(text, file)
      counts.runs++
      const base = { seed, index: i, source: source.name, mutations, text }
      if (reply.hang) {
        counts.hangs++
        defects.push({ ...base, problems: [`no answer within ${checker.budgetFor(text)} ms (hang)`] })
        continue
      }
      if (reply.ms > counts.slowestMs) {
        counts.slowestMs = Math.round(reply.ms)
        counts.slowest = `mutant ${i} (${mutations.join('; ')})`
      }
      counts[reply.valid ? 'valid' : 'invalid']++
      if (reply.problems.length > 0) defects.push({ ...base, problems: reply.problems })
      if (reply.valid && reply.table) tables.push({ base, table: reply.table })
      onProgress?.(counts)
    }
  } finally {
    await checker.stop()
  }
  const nft = nftCheckAll(tables)
  for (const f of nft.failures)
    defects.push({
      ...f.item.base,
      problems: [`nft -c refused table ${f.item.table.name}: ${f.stderr.trim().slice(0, 400)}`],
    })
  return {
    seed,
    ...counts,
    nftTables: tables.length,
    nftBatches: nft.batches,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    defects,
  }
}

/** Writes each defect's mutant and report under `dir` (for a long campaign). */
export function saveDefects(defects, dir) {
  mkdirSync(dir, { recursive: true })
  for (const d of defects) {
    const stem = join(dir, `seed-${d.seed}-${d.index}`)
    writeFileSync(`${stem}.yml`, d.text)
    writeFileSync(
      `${stem}.txt`,
      [
        `seed ${d.seed} mutant ${d.index} of ${d.source}`,
        ...d.mutations.map((m) => `mutation: ${m}`),
        ...d.problems,
      ].join('\n') + '\n',
    )
  }
}
