#!/usr/bin/env node
/**
 * Builds the published CLI: `dist/bin.js` (the `anklume` command) and
 * `dist/index.js` (`import('@anklume/cli')`), bundled by esbuild with the
 * workspace libraries (from their TypeScript sources) and the npm
 * dependencies, so that starting the CLI resolves and reads a handful of
 * files instead of hundreds. Every dynamic `import()` becomes its own chunk
 * in `dist/chunks/`: a command's code, and the libraries it imports inside its
 * action, are read only when that command runs.
 *
 * A package that must stay a separate install (one that reads files next to
 * its own code, say) goes in EXTERNAL and in `dependencies`; everything else is
 * inlined. `dist/THIRD-PARTY-LICENSES.txt` carries the licences of the npm
 * packages inlined. `dist/index.d.ts` is emitted by tsc.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'dist')
/** Packages left as runtime `dependencies` instead of being bundled. */
const EXTERNAL = []

/**
 * `@anklume/incus-client` uses undici's Pool and buildConnector only, but
 * undici's index loads all of undici (fetch, cookies, websockets, the mock
 * agent, which in turn load Node's own copy of undici): in the bundle,
 * `undici` is those two modules.
 */
const slimUndici = {
  name: 'slim-undici',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) => ({
      path: 'undici',
      namespace: 'slim-undici',
      pluginData: { resolveDir: args.resolveDir },
    }))
    b.onLoad({ filter: /.*/, namespace: 'slim-undici' }, (args) => ({
      contents: [
        // What undici's index does to give every dispatcher .request(), .stream()...
        "Object.assign(require('undici/lib/dispatcher/dispatcher').prototype, require('undici/lib/api'))",
        "module.exports = { Pool: require('undici/lib/dispatcher/pool'), buildConnector: require('undici/lib/core/connect') }",
      ].join('\n'),
      loader: 'js',
      resolveDir: args.pluginData.resolveDir,
    }))
  },
}

/**
 * zod's namespace re-exports every locale (360 kB of the bundle, parsed at
 * each start); anklume's messages are English only, so `z.locales` is `en`.
 */
const englishZod = {
  name: 'english-zod',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(args.resolveDir, '../locales'), namespace: 'english-zod' }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'english-zod' }, (args) => ({
      contents: "export { default as en } from './en.js'",
      loader: 'js',
      resolveDir: args.path,
    }))
  },
}

rmSync(dist, { recursive: true, force: true })
const result = await build({
  absWorkingDir: here,
  entryPoints: { bin: 'src/bin.ts', index: 'src/index.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // The workspace libraries are bundled from their sources (package.json "@anklume/source").
  conditions: ['@anklume/source'],
  external: EXTERNAL,
  plugins: [slimUndici, englishZod],
  // Bundled CommonJS dependencies (commander, undici) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __anklumeRequire } from 'node:module'; const require = __anklumeRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  sourcesContent: true,
  legalComments: 'none',
  minifyWhitespace: !process.env.ANKLUME_NO_MINIFY,
  minifySyntax: !process.env.ANKLUME_NO_MINIFY,
  metafile: true,
  logLevel: 'warning',
})

// Licences of the npm packages inlined in the bundle.
const pkgs = new Map()
for (const input of Object.keys(result.metafile.inputs)) {
  const m = input.match(/^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//)
  if (m && !m[2].startsWith('@anklume/')) pkgs.set(m[2], join(here, m[1]))
}
let notices = 'Third-party software bundled in @anklume/cli (dist/*.js, dist/chunks/*.js)\n'
for (const [name, dir] of [...pkgs].sort(([a], [b]) => a.localeCompare(b))) {
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f))
  notices += `\n${'='.repeat(78)}\n${name}@${meta.version} (${meta.license})\n${'='.repeat(78)}\n\n`
  notices += file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${meta.license}`
  notices += '\n'
}
writeFileSync(join(dist, 'THIRD-PARTY-LICENSES.txt'), notices)

// The dashboard's page (built by @anklume/dashboard) next to the chunk that
// serves it: its server looks for `./web/` beside its own code.
cpSync(join(here, '../../packages/dashboard/dist/web'), join(dist, 'chunks/web'), { recursive: true })
if (process.env.ANKLUME_METAFILE) writeFileSync(process.env.ANKLUME_METAFILE, JSON.stringify(result.metafile))

// dist/index.d.ts: the declaration of the programmatic entry, nothing else.
const types = join(here, 'node_modules/.cache/anklume-cli-types')
rmSync(types, { recursive: true, force: true })
mkdirSync(types, { recursive: true })
execFileSync(
  process.execPath,
  [
    join(dirname(fileURLToPath(import.meta.resolve('typescript'))), 'tsc.js'),
    '-p',
    'tsconfig.build.json',
    '--emitDeclarationOnly',
    '--declarationMap',
    'false',
    '--rootDir',
    '.',
    '--outDir',
    relative(here, types),
  ],
  { cwd: here, stdio: 'inherit' },
)
writeFileSync(join(dist, 'index.d.ts'), readFileSync(join(types, 'src/index.d.ts')))
