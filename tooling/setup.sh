#!/usr/bin/env bash
# One command to set up a fresh Debian 12 machine (as root) for anklume
# development: pnpm, Node dependencies, a build of every package, and a real
# Incus with a storage pool and the busybox test image. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pnpm >/dev/null 2>&1; then
  echo "[setup] installing pnpm 10" >&2
  npm install -g pnpm@10 >/dev/null
fi
pnpm install --frozen-lockfile
pnpm build
if [ "$(id -u)" -eq 0 ]; then
  bash tooling/incus-sandbox.sh
else
  echo "[setup] not root: skipping the Incus sandbox (run: sudo bash tooling/incus-sandbox.sh)" >&2
fi
