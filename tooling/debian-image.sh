#!/usr/bin/env bash
# Builds a minimal Debian 12 (bookworm) container image from Debian's own
# packages and imports it into Incus as `anklume-test/debian`, for the tests
# that need a real distribution (Ansible through the incus connection needs
# python3 in the machines). Run as root, after tooling/incus-sandbox.sh.
#
# Built once per machine: the image tarball is cached under
# $ANKLUME_CACHE_DIR (default /var/cache/anklume) and re-imported from there,
# offline, when Incus no longer has the alias. Idempotent.
#
# The image: debootstrap --variant=minbase + systemd (PID 1), python3, and
# systemd-networkd bringing eth0 up by DHCP (so a machine's reserved address
# shows up); no SSH, no cloud-init; docs and apt lists removed.
set -euo pipefail

ALIAS="${ANKLUME_TEST_DEBIAN_IMAGE:-anklume-test/debian}"
CACHE="${ANKLUME_CACHE_DIR:-/var/cache/anklume}"
SUITE=bookworm
MIRROR="${ANKLUME_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
TARBALL="$CACHE/images/debian-$SUITE-minimal.tar.gz"
log() { printf '[debian-image] %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  echo "debian-image.sh must run as root (debootstrap, incus image import)" >&2
  exit 1
fi

if incus image alias list --format csv 2>/dev/null | grep -q "^${ALIAS},"; then
  log "image ${ALIAS} already present"
  exit 0
fi

if [ ! -s "$TARBALL" ]; then
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || {
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  start=$(date +%s)
  log "building the Debian $SUITE image with debootstrap (once per machine)"
  mkdir -p "$CACHE/images"
  work=$(mktemp -d "$CACHE/images/build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  root="$work/rootfs"
  /usr/sbin/debootstrap --variant=minbase --include=systemd,systemd-sysv,python3 \
    "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
    tail -20 "$work/debootstrap.log" >&2
    exit 1
  }
  # eth0 by DHCP through systemd-networkd (part of systemd, no extra package).
  mkdir -p "$root/etc/systemd/network"
  printf '[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n' >"$root/etc/systemd/network/eth0.network"
  ln -sf /lib/systemd/system/systemd-networkd.service \
    "$root/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
  # One machine-id per container (systemd makes it at first boot).
  : >"$root/etc/machine-id"
  rm -f "$root/var/lib/dbus/machine-id"
  # Minimal: no apt lists, package cache, docs, man pages or locales.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
  mkdir -p "$work/templates"
  printf '{{ instance.name }}\n' >"$work/templates/hostname.tpl"
  cat >"$work/metadata.yaml" <<META
architecture: x86_64
creation_date: $(date +%s)
properties:
  os: debian
  release: $SUITE
  variant: minimal
  description: anklume test image (Debian $SUITE minbase, systemd, python3, DHCP on eth0)
templates:
  /etc/hostname:
    when: [create, copy]
    template: hostname.tpl
META
  tar -C "$work" --numeric-owner -czf "$work/image.tar.gz" metadata.yaml templates rootfs
  mv "$work/image.tar.gz" "$TARBALL"
  log "built $TARBALL ($(du -h "$TARBALL" | cut -f1)) in $(($(date +%s) - start)) s"
fi

incus image import "$TARBALL" --alias "$ALIAS" >/dev/null
log "image ${ALIAS} imported"
