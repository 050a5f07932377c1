#!/usr/bin/env bash
# A real 3-member Incus cluster on this machine, for anklume's cluster tests
# and benchmarks: three unprivileged system containers of the local Incus,
# each running its own incusd, joined into one cluster.
#
#   tooling/cluster-rig.sh up       build (once, cached) and start the rig; idempotent
#   tooling/cluster-rig.sh image    only build the cached member image
#   tooling/cluster-rig.sh status   members and their state; exit 1 when the rig is not up
#   tooling/cluster-rig.sh down     delete the members and their bridge (the image stays cached)
#   tooling/cluster-rig.sh purge    down, then drop the cached member image too
#
# The member image is built from Debian packages (debootstrap + Incus from
# bookworm-backports) the first time and cached in $CACHE_DIR; every later
# `up` works offline. What tests need to reach the cluster is written to
# $STATE_DIR/rig.json (url, client certificate and key, pinned server
# certificate, member names). See docs/cluster.md.
#
# Network safety: the members' bridge has no NAT and no Incus firewall
# rules; the members take their address by DHCP reservation and ignore the
# DHCP gateway. Their default route points at $NET.254, an address nothing
# on the bridge holds: Incus finds the interface of its VXLAN tunnels through
# the default route (as on a real host), yet no packet can leave the /24
# (they reach each other and the host's bridge address, nothing else).
# Nested test domains use `nat: false`.
set -euo pipefail

PREFIX="${ANKLUME_RIG_PREFIX:-anklume-rig}"
BRIDGE="${ANKLUME_RIG_BRIDGE:-ankrig0}"
NET="${ANKLUME_RIG_NET:-10.198.0}"          # outside the tests' 10.200-10.249 and 10.255
MEMBERS=(m1 m2 m3)
POOL=local
STATE_DIR="${ANKLUME_RIG_STATE:-/var/lib/anklume-cluster-rig}"
CACHE_DIR="${ANKLUME_RIG_CACHE:-/var/cache/anklume}"
IMAGE_TAR="$CACHE_DIR/cluster-member-bookworm.tar.gz"
IMAGE_ALIAS="$PREFIX/member"
TEST_IMAGE="${ANKLUME_TEST_IMAGE:-anklume-test/busybox}"
MIRROR="${ANKLUME_RIG_MIRROR:-http://deb.debian.org/debian}"
IMAGE_VERSION=2                              # bump when the image recipe changes

log() { printf '[cluster-rig] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
inst() { printf '%s-%s' "$PREFIX" "$1"; }
addr() { printf '%s.%d' "$NET" "$((10 + ${1#m}))"; }
in_m() { local m=$1; shift; incus exec "$(inst "$m")" -- "$@"; }

need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root (it drives the local Incus)"; }

# --- member image -------------------------------------------------------------
build_image() {
  [ -f "$IMAGE_TAR" ] && [ "$(cat "$IMAGE_TAR.version" 2>/dev/null)" = "$IMAGE_VERSION" ] && return 0
  command -v debootstrap >/dev/null 2>&1 || {
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  mkdir -p "$CACHE_DIR"
  local work root
  work=$(mktemp -d /var/tmp/anklume-rig-image.XXXXXX)
  root="$work/rootfs"
  # shellcheck disable=SC2064
  trap "umount -l '$root/proc' 2>/dev/null || true; rm -rf '$work'" EXIT
  log "building the member image (debootstrap bookworm + incus-base from backports, ~2 min)"
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,udev,iproute2,ca-certificates,openssl,nftables,procps,iputils-ping,curl,busybox \
    bookworm "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
    tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
  cat > "$root/etc/apt/sources.list.d/backports.sources" <<SRC
Types: deb
URIs: $MIRROR
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  mount -t proc proc "$root/proc"
  chroot "$root" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends -t bookworm-backports incus-base dnsmasq-base >/dev/null && apt-get clean \
      && rm -rf /var/lib/apt/lists/*' || die "installing incus-base in the image failed"
  umount "$root/proc"
  # eth0 by DHCP (the bridge holds a reservation per member), no gateway: no route off the /24.
  cat > "$root/etc/systemd/network/10-eth0.network" <<NET
[Match]
Name=eth0

[Network]
DHCP=ipv4
LinkLocalAddressing=no
IPv6AcceptRA=no

[DHCPv4]
UseGateway=no
UseRoutes=no
UseDNS=no

[Route]
Gateway=$NET.254
GatewayOnLink=yes
NET
  chroot "$root" systemctl enable systemd-networkd >/dev/null 2>&1
  # Nested containers' id ranges: a range the member's own idmap can hold.
  echo 'root:1000000:10000000' > "$root/etc/subuid"
  echo 'root:1000000:10000000' > "$root/etc/subgid"
  # cgroup v1 hosts that mount cpu and cpuacct apart: inside a member both are
  # links to an unmounted cpu,cpuacct and nested starts fail ("Failed to open
  # 9/cpuacct: Not a directory"). Mount each missing v1 controller before incus.
  cat > "$root/usr/local/sbin/anklume-cgroup-fix" <<'FIX'
#!/bin/sh
[ -f /sys/fs/cgroup/cgroup.controllers ] && exit 0   # cgroup v2: nothing to do
mount -o remount,rw /sys/fs/cgroup 2>/dev/null || true
for c in $(cut -d: -f2 /proc/self/cgroup | tr ',' '\n' | sort -u); do
  case "$c" in ''|name=*) continue ;; esac
  d=/sys/fs/cgroup/$c
  mountpoint -q "$d" 2>/dev/null && continue
  [ -L "$d" ] && rm -f "$d"
  mkdir -p "$d"
  mount -t cgroup -o "$c" cgroup "$d" || true
done
mount -o remount,ro /sys/fs/cgroup 2>/dev/null || true
FIX
  chmod 755 "$root/usr/local/sbin/anklume-cgroup-fix"
  cat > "$root/etc/systemd/system/anklume-cgroup-fix.service" <<'UNIT'
[Unit]
Description=Mount the cgroup v1 controllers nested containers need
DefaultDependencies=no
Before=incus.service incus.socket incus-startup.service
After=sys-fs-cgroup.mount

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/anklume-cgroup-fix

[Install]
WantedBy=sysinit.target
UNIT
  chroot "$root" systemctl enable anklume-cgroup-fix.service >/dev/null 2>&1
  : > "$root/etc/machine-id"
  rm -f "$root/var/lib/dbus/machine-id"
  mkdir -p "$work/templates"
  echo '{{ container.name }}' > "$work/templates/hostname.tpl"
  cat > "$work/metadata.yaml" <<META
architecture: x86_64
creation_date: $(date +%s)
properties:
  os: debian
  release: bookworm
  description: anklume cluster rig member (Incus $(chroot "$root" dpkg-query -W -f='${Version}' incus-base))
templates:
  /etc/hostname:
    when: [create, copy]
    template: hostname.tpl
META
  tar --numeric-owner -C "$work" -czf "$IMAGE_TAR.tmp" metadata.yaml templates rootfs
  mv "$IMAGE_TAR.tmp" "$IMAGE_TAR"
  echo "$IMAGE_VERSION" > "$IMAGE_TAR.version"
  rm -rf "$work"
  trap - EXIT
  log "member image cached in $IMAGE_TAR ($(du -h "$IMAGE_TAR" | cut -f1))"
}

import_image() {
  local want have
  want=$(sha256sum "$IMAGE_TAR" | cut -c1-64)
  have=$(incus image list "$IMAGE_ALIAS" -f csv -c F 2>/dev/null | head -1)
  [ "$have" = "$want" ] && return 0
  [ -n "$have" ] && incus image delete "$IMAGE_ALIAS" >/dev/null
  log "importing the member image"
  incus image import "$IMAGE_TAR" --alias "$IMAGE_ALIAS" >/dev/null
}

# --- host side ----------------------------------------------------------------
ensure_bridge() {
  incus network show "$BRIDGE" >/dev/null 2>&1 && return 0
  log "creating bridge $BRIDGE ($NET.1/24, no NAT, no firewall rules)"
  incus network create "$BRIDGE" ipv4.address="$NET.1/24" ipv4.nat=false ipv4.firewall=false \
    ipv6.address=none ipv6.firewall=false dns.mode=none >/dev/null
}

ensure_member() {
  local m=$1 name
  name=$(inst "$m")
  if ! incus info "$name" >/dev/null 2>&1; then
    log "creating member $m ($name, $(addr "$m"))"
    incus init "$IMAGE_ALIAS" "$name" --network "$BRIDGE" -c security.nesting=true \
      -c limits.memory=1GiB -c user.anklume-rig=member >/dev/null
    incus config device set "$name" eth0 ipv4.address="$(addr "$m")" >/dev/null
  fi
  [ "$(incus list "^${name}\$" -f csv -c s)" = RUNNING ] || incus start "$name"
  # No resolver: the member never looks anything up off its own /24 (the
  # image build copied the host's resolv.conf).
  incus exec "$name" -- sh -c ': > /etc/resolv.conf' >/dev/null 2>&1 || true
}

wait_incusd() {
  local m=$1 i
  for i in $(seq 1 60); do
    in_m "$m" incus admin waitready --timeout 2 >/dev/null 2>&1 && \
      in_m "$m" ip -4 -o addr show eth0 2>/dev/null | grep -q "$(addr "$m")/" && return 0
    sleep 1
  done
  die "incusd in member $m did not come up (incus exec $(inst "$m") -- journalctl -u incus)"
}

clustered() { in_m m1 incus cluster list -f csv -c n 2>/dev/null | grep -qx "$1"; }

form_cluster() {
  if ! in_m m1 sh -c 'incus query /1.0 | grep -q "\"server_clustered\": true"'; then
    log "bootstrapping the cluster on m1"
    in_m m1 incus admin init --preseed <<PRE
config:
  core.https_address: $(addr m1):8443
storage_pools:
- name: $POOL
  driver: dir
profiles:
- name: default
  devices:
    root: {path: /, pool: $POOL, type: disk}
cluster:
  server_name: m1
  enabled: true
PRE
  fi
  local m token
  for m in "${MEMBERS[@]:1}"; do
    clustered "$m" && continue
    log "joining $m"
    token=$(in_m m1 incus cluster add "$m" --quiet)
    in_m "$m" incus admin init --preseed <<PRE
cluster:
  enabled: true
  server_name: $m
  server_address: $(addr "$m"):8443
  cluster_address: $(addr m1):8443
  cluster_token: $token
  member_config:
  - entity: storage-pool
    name: $POOL
    key: source
    value: ""
PRE
  done
  # A loaded 2-core CI box delays heartbeats: 40 s before a member counts as
  # offline (default 20). Set once clustered: Incus 6.0.4 panics (nil
  # heartbeat task, the PUT answers EOF) when this key changes on a server
  # that is not clustered yet, e.g. in the bootstrap preseed.
  [ "$(in_m m1 incus config get cluster.offline_threshold)" = 40 ] ||
    in_m m1 incus config set cluster.offline_threshold 40
}

trust_client() {
  mkdir -p "$STATE_DIR"
  chmod 700 "$STATE_DIR"
  if [ ! -f "$STATE_DIR/client.crt" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:secp384r1 -nodes -days 3650 \
      -subj /CN=anklume-cluster-rig -keyout "$STATE_DIR/client.key" -out "$STATE_DIR/client.crt" \
      >/dev/null 2>&1
  fi
  local fp
  fp=$(openssl x509 -in "$STATE_DIR/client.crt" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d : | tr 'A-F' 'a-f')
  if ! in_m m1 incus config trust list -f csv -c f 2>/dev/null | grep -q "^${fp:0:12}"; then
    incus file push "$STATE_DIR/client.crt" "$(inst m1)/root/anklume-client.crt" >/dev/null
    in_m m1 incus config trust add-certificate /root/anklume-client.crt --name anklume-rig >/dev/null
  fi
  incus file pull "$(inst m1)/var/lib/incus/cluster.crt" "$STATE_DIR/server.crt" >/dev/null
}

import_test_image() {
  in_m m1 incus image alias list -f csv 2>/dev/null | grep -q "^${TEST_IMAGE}," && return 0
  incus image alias list -f csv | grep -q "^${TEST_IMAGE}," ||
    die "the host has no image $TEST_IMAGE (run: bash tooling/incus-sandbox.sh)"
  log "importing $TEST_IMAGE into the cluster"
  local dir
  dir=$(mktemp -d)
  incus image export "$TEST_IMAGE" "$dir/img" >/dev/null
  local f
  f=$(ls "$dir"/img*)
  incus file push "$f" "$(inst m1)/root/test-image.tar.gz" >/dev/null
  rm -rf "$dir"
  in_m m1 incus image import /root/test-image.tar.gz --alias "$TEST_IMAGE" >/dev/null
  in_m m1 rm -f /root/test-image.tar.gz
}

write_state() {
  local members
  members=$(printf '"%s",' "${MEMBERS[@]}")
  cat > "$STATE_DIR/rig.json.tmp" <<JSON
{
  "url": "https://$(addr m1):8443",
  "cert": "$STATE_DIR/client.crt",
  "key": "$STATE_DIR/client.key",
  "serverCert": "$STATE_DIR/server.crt",
  "pool": "$POOL",
  "members": [${members%,}],
  "containers": { $(for m in "${MEMBERS[@]}"; do printf '"%s": "%s", ' "$m" "$(inst "$m")"; done | sed 's/, $//') },
  "addresses": { $(for m in "${MEMBERS[@]}"; do printf '"%s": "%s", ' "$m" "$(addr "$m")"; done | sed 's/, $//') },
  "image": "$TEST_IMAGE"
}
JSON
  mv "$STATE_DIR/rig.json.tmp" "$STATE_DIR/rig.json"
}

cmd_up() {
  need_root
  local t0=$SECONDS
  build_image
  import_image
  ensure_bridge
  local m
  for m in "${MEMBERS[@]}"; do ensure_member "$m"; done
  for m in "${MEMBERS[@]}"; do wait_incusd "$m"; done
  form_cluster
  trust_client
  import_test_image
  write_state
  # members that were stopped come back by themselves; wait until all are ONLINE
  local i
  for i in $(seq 1 60); do
    [ "$(in_m m1 incus cluster list -f csv -c s 2>/dev/null | grep -c ONLINE)" = "${#MEMBERS[@]}" ] && break
    sleep 1
  done
  log "up in $((SECONDS - t0)) s: $(in_m m1 incus cluster list -f csv -c n,s | tr '\n' ' ')"
  log "state: $STATE_DIR/rig.json"
}

cmd_status() {
  local ok=0 m
  for m in "${MEMBERS[@]}"; do
    printf '%s %s %s\n' "$m" "$(inst "$m")" "$(incus list "^$(inst "$m")\$" -f csv -c s 2>/dev/null || echo -)"
  done
  if incus info "$(inst m1)" >/dev/null 2>&1 && in_m m1 incus cluster list -f csv -c n,s,u 2>/dev/null; then
    [ -f "$STATE_DIR/rig.json" ] || ok=1
  else
    ok=1
  fi
  [ "$ok" = 0 ] || log "the rig is not up (run: sudo bash tooling/cluster-rig.sh up)"
  return "$ok"
}

cmd_down() {
  need_root
  local m
  for m in "${MEMBERS[@]}"; do
    incus info "$(inst "$m")" >/dev/null 2>&1 && incus delete --force "$(inst "$m")" >/dev/null && log "deleted $(inst "$m")"
  done
  incus network show "$BRIDGE" >/dev/null 2>&1 && incus network delete "$BRIDGE" >/dev/null && log "deleted $BRIDGE"
  rm -f "$STATE_DIR/rig.json" "$STATE_DIR/server.crt"
}

cmd_purge() {
  cmd_down
  incus image show "$IMAGE_ALIAS" >/dev/null 2>&1 && incus image delete "$IMAGE_ALIAS"
  rm -f "$IMAGE_TAR" "$IMAGE_TAR.version"
  rm -rf "$STATE_DIR"
}

case "${1:-}" in
  up) cmd_up ;;
  image) need_root; build_image ;;
  status) cmd_status ;;
  down) cmd_down ;;
  purge) cmd_purge ;;
  *) echo "usage: $0 up|status|down|purge" >&2; exit 2 ;;
esac
