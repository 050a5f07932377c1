import { resolve } from 'node:path'
import { DEFAULT_IMAGE_CONCURRENCY } from '@anklume/engine/defaults'
import { isAnklumeError } from '@anklume/errors'
import type { Command } from 'commander'
import { EXIT_FAILURE, EXIT_INVALID, EXIT_OK } from '../errors.js'
import { loadInfra } from '../helpers/infra-file.js'
import { fileOption, parseConcurrency } from '../helpers/options.js'
import { connect, err, globals, out, printJson, withClient } from '../helpers/shared.js'

type Outcome = Awaited<ReturnType<typeof import('@anklume/engine')['pullImages']>>[number]
type ImageEvent = Parameters<NonNullable<import('@anklume/engine').ImageRunOptions['onEvent']>>[0]

/** One line per image as it starts and finishes (stderr), unless --json. */
function progress(json: boolean | undefined, verb: string): ((e: ImageEvent) => void) | undefined {
  if (json) return undefined
  return (e) => {
    if (e.type === 'start') return err(`… ${verb} ${e.image}`)
    const fp = e.fingerprint ? ` (${e.fingerprint.slice(0, 12)})` : ''
    if (e.status === 'failed') return err(`✗ ${e.error}`)
    err(
      `✓ ${e.status} ${e.image}${fp}${e.aliases?.length ? ` as ${e.aliases.join(', ')}` : ''}${e.note ? ` — ${e.note}` : ''}`,
    )
  }
}

function finish(outcomes: Outcome[], json: boolean | undefined, extra: Record<string, unknown> = {}): void {
  const counts: Record<string, number> = {}
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1
  if (json) printJson({ images: outcomes, ...extra })
  else
    out(
      `Images: ${
        Object.entries(counts)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ') || 'none'
      }`,
    )
  process.exitCode = outcomes.some((o) => o.status === 'failed') ? EXIT_FAILURE : EXIT_OK
}

export function register(program: Command): void {
  const images = program
    .command('images')
    .description('pre-cache the infra images, or move them through a directory (export/import)')
  images
    .command('pull')
    .description('copy every image the infra uses into the local image cache, with its alias')
    .addOption(fileOption())
    .option('--force', 'pull remote images again even when cached')
    .option('--concurrency <n>', 'images pulled at once', String(DEFAULT_IMAGE_CONCURRENCY))
    .option('--json', 'print the outcome as JSON')
    .addHelpText('after', '\nExample:\n  anklume images pull -f infra.yml')
    .action(
      async (
        opts: { file?: string; force?: boolean; concurrency?: string; json?: boolean },
        cmd: Command,
      ) => {
        const concurrency = parseConcurrency(opts.concurrency, DEFAULT_IMAGE_CONCURRENCY)
        const { infra } = await loadInfra(opts.file, { quiet: opts.json })
        const { imagesOfInfra, pullImages } = await import('@anklume/engine')
        const outcomes = await withClient(globals(cmd), (client) =>
          pullImages(client, imagesOfInfra(infra), {
            force: opts.force,
            concurrency,
            onEvent: progress(opts.json, 'pulling'),
          }),
        )
        finish(outcomes, opts.json)
      },
    )
  images
    .command('export')
    .description('write the images the infra uses (or --all) to <dir>/<fingerprint>.tar.gz plus index.json')
    .argument('<dir>', 'the image store directory (created if needed)')
    .addOption(fileOption())
    .option('--all', 'every image of the local cache, not only the infra ones')
    .option('--json', 'print the outcome as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  anklume images export /srv/anklume/images\n  anklume images export --all ./store',
    )
    .action(async (dir: string, opts: { file?: string; all?: boolean; json?: boolean }, cmd: Command) => {
      const engine = await import('@anklume/engine')
      const wanted = opts.all
        ? undefined
        : engine.imagesOfInfra((await loadInfra(opts.file, { quiet: opts.json })).infra)
      const result = await withClient(globals(cmd), (client) =>
        engine.exportImages(client, resolve(dir), {
          all: opts.all,
          images: wanted,
          onEvent: progress(opts.json, 'exporting'),
        }),
      )
      if (result.index && !opts.json) out(`index: ${result.index}`)
      finish(result.outcomes, opts.json, { index: result.index ?? null })
    })
  images
    .command('import')
    .description('import the tarballs of an image store (<dir>/index.json) and re-create their aliases')
    .argument('<dir>', 'a directory written by `anklume images export`')
    .option('--json', 'print the outcome as JSON')
    .addHelpText(
      'after',
      '\nImages already cached are skipped (idempotent).\n\nExample:\n  anklume images import /mnt/images',
    )
    .action(async (dir: string, opts: { json?: boolean }, cmd: Command) => {
      const { importImages } = await import('@anklume/engine')
      const client = await connect(globals(cmd))
      try {
        const outcomes = await importImages(client, resolve(dir), {
          onEvent: progress(opts.json, 'importing'),
        })
        finish(outcomes, opts.json)
      } catch (e) {
        if (!isAnklumeError(e, ['ANKLUME_IMAGES_NO_INDEX', 'ANKLUME_IMAGES_BAD_INDEX'])) throw e
        err(`error [${e.code}]: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`)
        process.exitCode = EXIT_INVALID
      } finally {
        await client.close()
      }
    })
}
