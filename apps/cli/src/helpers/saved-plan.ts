/** Writing and reading saved plans (`plan -o FILE`, `apply FILE`); the checks live in @anklume/engine. */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { InfraPlan, SavedPlan, SavedPlanOptions } from '@anklume/engine'
import { version } from './version.js'

/** The infra file or directory as given, else the one found by default (./infra.yml, then ./infra/). */
export function infraPath(file: string | undefined): string {
  return resolve(file ?? (existsSync('infra.yml') ? 'infra.yml' : 'infra'))
}

/** Saves `planned` (atomically) with what `apply FILE` checks before applying it. */
export async function savePlanFile(
  output: string,
  planned: InfraPlan,
  opts: { target: string; file: string | undefined; sources: readonly string[]; options: SavedPlanOptions },
): Promise<void> {
  const { savedPlan } = await import('@anklume/engine')
  const { writeFileAtomic } = await import('@anklume/host')
  const saved = await savedPlan(planned, {
    target: opts.target,
    file: infraPath(opts.file),
    sources: opts.sources.map((s) => resolve(s)),
    options: opts.options,
    version: version(),
    createdAt: new Date().toISOString(),
  })
  await writeFileAtomic(output, `${JSON.stringify(saved, null, 2)}\n`)
}

/** Reads and checks the shape of a saved plan (`ANKLUME_PLAN_FILE_INVALID` otherwise). */
export async function readPlanFile(file: string): Promise<SavedPlan> {
  const { parseSavedPlan } = await import('@anklume/engine')
  const { CliError } = await import('../errors.js')
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CliError(
      'ANKLUME_PLAN_FILE_INVALID',
      `cannot read the plan file ${file}: ${e.code ?? e.message}`,
    )
  })
  return parseSavedPlan(text, file)
}
