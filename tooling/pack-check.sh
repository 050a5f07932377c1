#!/usr/bin/env bash
# Release check: `pnpm pack` every published package (private ones, such as
# @anklume/test-utils, are skipped), check what each tarball holds (LICENSE,
# metadata, README without links that only work in the repository, entry
# points present, no tests or test helpers, no source map pointing at a file
# that is not shipped), then install the tarballs together in an empty
# directory outside the workspace, offline (from the pnpm store that
# `pnpm install` filled), and run them as a user of the published packages
# would: `anklume --version`, `anklume validate`, `import()` of every package.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/.pack-check"
rm -rf "$out" && mkdir -p "$out/tarballs"
# A clean build: stale files in dist/ (of a deleted source) would be packed too.
rm -rf packages/*/dist apps/*/dist
pnpm build >/dev/null
for dir in packages/* apps/*; do
  if [ "$(node -p "require('./$dir/package.json').private === true")" = true ]; then
    echo "skipped (private): $dir"
    continue
  fi
  (cd "$dir" && pnpm pack --pack-destination "$out/tarballs" >/dev/null)
done

# What each tarball holds.
node --input-type=module - "$out/tarballs" "$root/LICENSE" <<'JS'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname, resolve, posix } from 'node:path'
const [dir, licenseFile] = process.argv.slice(2)
const license = readFileSync(licenseFile, 'utf8')
const problems = []
for (const tgz of readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort()) {
  const x = mkdtempSync(join(tmpdir(), 'pack-check-'))
  execFileSync('tar', ['-xzf', join(dir, tgz), '-C', x])
  const pkgDir = join(x, 'package')
  const files = execFileSync('find', ['.', '-type', 'f'], { cwd: pkgDir, encoding: 'utf8' })
    .split('\n').filter(Boolean).map((f) => f.slice(2))
  const has = (f) => files.includes(f)
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  const bad = (m) => problems.push(`${pkg.name}: ${m}`)
  if (!has('LICENSE')) bad('no LICENSE')
  else if (readFileSync(join(pkgDir, 'LICENSE'), 'utf8') !== license) bad('LICENSE differs from the repository LICENSE')
  if (pkg.license !== 'MIT') bad(`license is ${pkg.license}`)
  if (!pkg.repository?.url || !pkg.repository?.directory) bad('no repository { url, directory }')
  if (!pkg.homepage) bad('no homepage')
  if (!pkg.bugs?.url) bad('no bugs.url')
  if (pkg.publishConfig?.access !== 'public') bad('publishConfig.access is not "public"')
  for (const [k, v] of Object.entries(pkg.dependencies ?? {}))
    if (String(v).startsWith('workspace:')) bad(`dependency ${k} still says ${v}`)
  // Entry points: main, types, bin and every exports target (but the source condition) exist.
  const targets = [pkg.main, pkg.types, ...Object.values(typeof pkg.bin === 'string' ? { a: pkg.bin } : (pkg.bin ?? {}))]
  const walk = (e) => {
    if (typeof e === 'string') targets.push(e)
    else if (e && typeof e === 'object') for (const [k, v] of Object.entries(e)) if (k !== '@anklume/source') walk(v)
  }
  walk(pkg.exports)
  for (const t of targets.filter(Boolean)) if (!has(posix.normalize(t)) && !t.endsWith('package.json')) bad(`entry point ${t} is not in the tarball`)
  // No tests, test helpers or fixtures.
  for (const f of files)
    if (/(^|\/)(test|tests|__tests__|fixtures)\/|\.test(-util)?\.[cm]?[jt]s$|\.test\.d\.ts$|test-util/.test(f)) bad(`ships a test file: ${f}`)
  // Source maps: every sourceMappingURL names a shipped map, every map source is shipped or inlined.
  for (const f of files.filter((f) => /\.(m?js|d\.ts)$/.test(f))) {
    const m = readFileSync(join(pkgDir, f), 'utf8').match(/\/\/# sourceMappingURL=(\S+)\s*$/)
    if (m && !m[1].startsWith('data:') && !has(posix.join(posix.dirname(f), m[1]))) bad(`${f} points at ${m[1]}, not shipped`)
  }
  for (const f of files.filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(pkgDir, f), 'utf8'))
    map.sources.forEach((s, i) => {
      const target = resolve(dirname(join(pkgDir, f)), map.sourceRoot ?? '', s)
      if (map.sourcesContent?.[i] == null && !(target.startsWith(pkgDir) && existsSync(target) && statSync(target).isFile()))
        bad(`${f}: source ${s} is neither shipped nor inlined`)
    })
  }
  // The README stands alone on npm: no links into the repository by relative path.
  if (!has('README.md')) bad('no README.md')
  else
    for (const [, link] of readFileSync(join(pkgDir, 'README.md'), 'utf8').matchAll(/\]\(([^)\s]+)\)/g))
      if (!/^(https?:|mailto:|#)/.test(link) && !has(posix.normalize(link.split('#')[0]))) bad(`README links to ${link}, not in the package`)
  console.log(`${tgz}: ${files.length} files, ${(statSync(join(dir, tgz)).size / 1024).toFixed(0)} KiB packed`)
}
if (problems.length) {
  console.error(`\npack check failed:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
JS

# Install them together, offline, outside the workspace: the @anklume/*
# dependencies from the tarballs, the npm ones from the very copies this
# workspace installed (the versions pnpm-lock.yaml pins), so no registry is
# needed. A dependency a tarball forgets to declare fails the imports below.
app=$(mktemp -d /tmp/anklume-pack-check-XXXXXX)
trap 'rm -rf "$app"' EXIT
node --input-type=module - "$out/tarballs" "$app" "$root" <<'JS'
import { execFileSync } from 'node:child_process'
import { readdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
const [dir, app, root] = process.argv.slice(2)
const deps = {}
const overrides = {}
for (const f of readdirSync(dir).filter((f) => f.endsWith('.tgz'))) {
  const pkg = JSON.parse(execFileSync('tar', ['-xzOf', join(dir, f), 'package/package.json'], { encoding: 'utf8' }))
  deps[pkg.name] = overrides[pkg.name] = `file:${join(dir, f)}`
  const src = pkg.repository.directory
  for (const d of Object.keys(pkg.dependencies ?? {}).filter((d) => !d.startsWith('@anklume/')))
    overrides[d] = `link:${realpathSync(join(root, src, 'node_modules', d))}`
}
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify({ name: 'pack-check', private: true, type: 'module', dependencies: deps, pnpm: { overrides } }, null, 2),
)
JS
(cd "$app" && pnpm install --offline --reporter=silent) || {
  echo "offline install of the tarballs failed (is the workspace installed? pnpm install)" >&2
  exit 1
}
cd "$app"
echo "anklume --version: $(./node_modules/.bin/anklume --version)"
cp "$root/examples/quickstart.yml" infra.yml
./node_modules/.bin/anklume validate
node --input-type=module -e "
const { main } = await import('@anklume/cli');
if (typeof main !== 'function') { console.error('@anklume/cli has no main()'); process.exit(1) }
const code = await main(['node', 'anklume', 'validate', '-f', 'infra.yml']);
if (code !== 0) process.exit(1);
console.log('import(@anklume/cli): main() ok');
const s = await import('@anklume/schema');
const r = s.loadFromString('project_name: p\nglobal: {}\ndomains: {}\n', 'inline.yml');
if (!r.ok) { console.error(r.issues); process.exit(1) }
console.log('import(@anklume/schema): ok,', Object.keys(s).length, 'exports');
"
for p in errors incus-client nftables planner host convert engine dashboard; do
  node --input-type=module -e "await import('@anklume/$p'); console.log('import(@anklume/$p): ok')"
done
# The CLI is one bundle: installing it pulls nothing else (the dashboard's page included).
node -e "const p = require('./node_modules/@anklume/cli/package.json'); if (Object.keys(p.dependencies ?? {}).length) { console.error('@anklume/cli has runtime dependencies:', p.dependencies); process.exit(1) } console.log('@anklume/cli: no runtime dependencies')"
test -f ./node_modules/@anklume/cli/dist/chunks/web/index.html && echo '@anklume/cli: dashboard page shipped'
echo "pack check: ok"
