#!/usr/bin/env bash
# Sets up a real Incus 6.0 for anklume's integration tests and benchmarks on a
# Debian 12 machine, as root, without systemd. Idempotent: a second run
# changes nothing.
#
#   1. Incus 6.0 LTS, nftables, busybox-static from bookworm-backports
#   2. incusd started by hand when it is not running
#   3. a `dir` storage pool named `default` when there is none
#   4. a tiny busybox image, alias anklume-test/busybox, whose init brings
#      eth0 up with DHCP (udhcpc), so Incus DHCP reservations (static IPs)
#      really show up in the container.
set -euo pipefail

IMAGE_ALIAS="${ANKLUME_TEST_IMAGE:-anklume-test/busybox}"
log() { printf '[incus-sandbox] %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  echo "incus-sandbox.sh must run as root (it installs packages and starts incusd)" >&2
  exit 1
fi

# --- 1. packages ------------------------------------------------------------
need_pkgs=()
command -v incus >/dev/null 2>&1 && [ -x /usr/libexec/incus/incusd ] || need_pkgs+=(incus)
command -v nft >/dev/null 2>&1 || need_pkgs+=(nftables)
dpkg -s busybox-static >/dev/null 2>&1 || need_pkgs+=(busybox-static)
# Test tools: openssl (HTTPS client certificates), iproute2, util-linux (unshare), bsdutils (script),
# groff-base (the man page test renders anklume.1).
for tool in openssl:openssl ip:iproute2 unshare:util-linux script:bsdutils groff:groff-base; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need_pkgs+=("${tool##*:}")
done
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "installing ${need_pkgs[*]} from bookworm-backports"
  if [ ! -f /etc/apt/sources.list.d/backports.sources ]; then
    cat > /etc/apt/sources.list.d/backports.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports \
    "${need_pkgs[@]}" >/dev/null
fi

# --- 2. daemon --------------------------------------------------------------
if ! incus admin waitready --timeout 1 >/dev/null 2>&1; then
  log "starting incusd"
  mkdir -p /var/log/incus
  setsid /usr/libexec/incus/incusd --group root \
    --logfile /var/log/incus/incusd.log >/dev/null 2>&1 < /dev/null &
  incus admin waitready --timeout 60
fi
log "incusd ready: $(incus version 2>/dev/null | tr '\n' ' ')"

# --- 3. storage pool --------------------------------------------------------
if ! incus storage show default >/dev/null 2>&1; then
  log "creating dir storage pool 'default'"
  incus storage create default dir
fi
# The default project's default profile needs a root disk for ad-hoc launches
# (benchmark baseline); add one only when it has none.
if ! incus profile device show default 2>/dev/null | grep -q '^root:'; then
  incus profile device add default root disk path=/ pool=default >/dev/null
fi

# --- 4. busybox test image --------------------------------------------------
if incus image alias list --format csv 2>/dev/null | grep -q "^${IMAGE_ALIAS},"; then
  log "image ${IMAGE_ALIAS} already present"
  exit 0
fi
log "building image ${IMAGE_ALIAS}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,root,run,var/lib,usr/share/udhcpc,usr/bin,usr/sbin}
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] && continue
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
ln -sf ../bin/busybox "$root/sbin/init"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
cat > "$root/etc/inittab" <<'INIT'
::sysinit:/bin/mount -t proc proc /proc
::sysinit:/bin/mount -t sysfs sys /sys
::sysinit:/bin/ip link set lo up
::sysinit:/bin/udhcpc -b -i eth0 -s /usr/share/udhcpc/default.script
::respawn:/bin/sleep 3600
INIT
cat > "$root/usr/share/udhcpc/default.script" <<'DHCP'
#!/bin/sh
case "$1" in
  deconfig)
    /bin/ip addr flush dev "$interface"
    /bin/ip link set "$interface" up
    ;;
  bound|renew)
    /bin/ip addr flush dev "$interface"
    /bin/ip addr add "$ip/$mask" dev "$interface"
    if [ -n "$router" ]; then
      /bin/ip route replace default via "${router%% *}" dev "$interface"
    fi
    ;;
esac
exit 0
DHCP
chmod +x "$root/usr/share/udhcpc/default.script"
cat > "$work/metadata.yaml" <<META
architecture: x86_64
creation_date: $(date +%s)
properties:
  os: busybox
  release: "$(/bin/busybox | head -1 | awk '{print $2}')"
  description: anklume test image (busybox, udhcpc on eth0)
templates: {}
META
tar -C "$work" -czf "$work/busybox.tar.gz" metadata.yaml rootfs
incus image import "$work/busybox.tar.gz" --alias "$IMAGE_ALIAS" >/dev/null
log "image ${IMAGE_ALIAS} imported"
