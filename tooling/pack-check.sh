#!/usr/bin/env bash
# Release check: `pnpm pack` every published package (private ones, such as
# @anklume/test-utils, are skipped), install the tarballs together in an empty
# directory, then check that `npx anklume --version` runs and that
# `import('@anklume/schema')` works, as a user of the published packages would.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/.pack-check"
rm -rf "$out" && mkdir -p "$out/tarballs" "$out/app"
pnpm build >/dev/null
for dir in packages/* apps/*; do
  if [ "$(node -p "require('./$dir/package.json').private === true")" = true ]; then
    echo "skipped (private): $dir"
    continue
  fi
  (cd "$dir" && pnpm pack --pack-destination "$out/tarballs" >/dev/null)
done
cd "$out/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$out"/tarballs/*.tgz >/dev/null
echo "anklume --version: $(npx --no-install anklume --version)"
node --input-type=module -e "
const s = await import('@anklume/schema');
const r = s.loadFromString('project_name: p\nglobal: {}\ndomains: {}\n', 'inline.yml');
if (!r.ok) { console.error(r.issues); process.exit(1) }
console.log('import(@anklume/schema): ok,', Object.keys(s).length, 'exports');
"
for p in errors incus-client nftables planner host convert engine dashboard; do
  node --input-type=module -e "await import('@anklume/$p'); console.log('import(@anklume/$p): ok')"
done
