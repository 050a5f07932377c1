#!/usr/bin/env node
/**
 * Writes dist/anklume.1 (the man page) from the program's command tree, the
 * same commander definitions docs/cli-reference.md is generated from. Runs at
 * the end of `pnpm build` for @anklume/cli: the CLI ships as a bundle, so the
 * generator bundles its own small entry (src/man-entry.ts, every command
 * loaded) into node_modules/.cache and imports it; nothing of it is shipped.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = new URL('..', import.meta.url)
const cache = fileURLToPath(new URL('node_modules/.cache/anklume-man/', here))
mkdirSync(cache, { recursive: true })
await build({
  absWorkingDir: fileURLToPath(here),
  entryPoints: ['src/man-entry.ts'],
  outfile: `${cache}man-entry.mjs`,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  conditions: ['@anklume/source'],
  banner: {
    js: "import { createRequire as __anklumeRequire } from 'node:module'; const require = __anklumeRequire(import.meta.url);",
  },
  logLevel: 'warning',
})
const { manText } = await import(`${cache}man-entry.mjs`)
const pkg = JSON.parse(readFileSync(new URL('package.json', here), 'utf8'))
writeFileSync(fileURLToPath(new URL('dist/anklume.1', here)), await manText(pkg.version))
