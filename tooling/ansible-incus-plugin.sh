#!/usr/bin/env bash
# Caches the community.general.incus connection plugin for the Ansible
# integration test. Debian 12's Ansible has no such plugin (community.general
# 6.6.2; it ships from 8.2.0), so the test takes it from Debian 13 (trixie)'s
# `ansible` package: apt downloads that one package with a private source
# list and a private apt state (the system's apt is untouched), and only the
# plugin (plus the collection's MANIFEST.json, for its version) is extracted
# into a collection tree under the cache:
#
#   $ANKLUME_CACHE_DIR/ansible/collections/ansible_collections/community/general/
#
# Point ANSIBLE_COLLECTIONS_PATH at $ANKLUME_CACHE_DIR/ansible/collections.
# Nothing of it is committed to this repository. Idempotent; offline once cached.
set -euo pipefail

CACHE="${ANKLUME_CACHE_DIR:-/var/cache/anklume}"
SUITE="${ANKLUME_PLUGIN_SUITE:-trixie}"
MIRROR="${ANKLUME_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEST="$CACHE/ansible/collections/ansible_collections/community/general"
log() { printf '[ansible-incus-plugin] %s\n' "$*" >&2; }

if [ -s "$DEST/plugins/connection/incus.py" ]; then
  log "plugin already cached in $DEST"
  exit 0
fi
mkdir -p "$CACHE/ansible"
work=$(mktemp -d "$CACHE/ansible/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/state/lists/partial" "$work/cache/archives/partial" "$work/parts" "$work/deb" "$work/x"
: >"$work/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" >"$work/sources.list"
apt_opts=(
  -o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=$work/parts"
  -o "Dir::State=$work/state" -o "Dir::State::status=$work/status" -o "Dir::Cache=$work/cache"
  -o Debug::NoLocking=1 -o APT::Sandbox::User=root
)
log "downloading Debian $SUITE's ansible package (private apt state, the system's apt is untouched)"
apt-get "${apt_opts[@]}" -qq update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }
(cd "$work/deb" && apt-get "${apt_opts[@]}" -qq download ansible) >>"$work/apt.log" 2>&1 || {
  cat "$work/apt.log" >&2
  exit 1
}
deb=$(ls "$work"/deb/ansible_*.deb)
src=./usr/lib/python3/dist-packages/ansible_collections/community/general
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/x" "$src/plugins/connection/incus.py" "$src/MANIFEST.json"
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST.new"
mv "$work/x/$src" "$DEST.new"
mv "$DEST.new" "$DEST"
version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$DEST/MANIFEST.json" | head -1)
log "cached community.general.incus from $(basename "$deb") (community.general $version) in $DEST"
