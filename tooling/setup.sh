#!/usr/bin/env bash
# One command to set up a fresh Debian 12 machine (as root) for anklume
# development: pnpm, Node dependencies, a build of every package, a real
# Incus with a storage pool and the busybox test image, and what the Ansible
# integration test needs: Debian 12's ansible-core and debootstrap, a Debian 12
# test image (anklume-test/debian, built once per machine and cached), and the
# community.general.incus connection plugin cached from Debian 13's ansible
# package, the cached member image of the cluster rig (tooling/cluster-rig.sh);
# Chromium and tmux for the dashboard and console tests. Idempotent; offline
# once everything is cached.
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
  need_pkgs=()
  command -v ansible-playbook >/dev/null 2>&1 || need_pkgs+=(ansible-core)
  [ -x /usr/sbin/debootstrap ] || need_pkgs+=(debootstrap)
  # The dashboard and console tests: Debian's Chromium (driven by
  # playwright-core; never a downloaded browser) and tmux.
  [ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
  command -v tmux >/dev/null 2>&1 || need_pkgs+=(tmux)
  if [ "${#need_pkgs[@]}" -gt 0 ]; then
    echo "[setup] installing ${need_pkgs[*]} (Debian 12)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  fi
  bash tooling/debian-image.sh          # anklume-test/debian (debootstrap once, cached)
  bash tooling/ansible-incus-plugin.sh  # community.general.incus from Debian 13, into the cache
  # The member image of the 3-member cluster rig (Debian packages, cached: later runs are offline).
  bash tooling/cluster-rig.sh image
else
  echo "[setup] not root: skipping the Incus sandbox and the Ansible, dashboard and console test tools (run: sudo bash tooling/setup.sh)" >&2
fi
