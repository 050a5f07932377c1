/**
 * Host access: instance config keys and devices that hand (part of) the host
 * to an instance as surely as `security.privileged`. Each one found is named
 * by the grant that allows it (`raw.lxc`, `disk:/etc`, `unix-block:/dev/sda`,
 * `proxy:/run/incus/unix.socket`), which a machine lists in `host_access`.
 */
import { posix } from 'node:path'

export interface HostAccessItem {
  /** The grant that allows it, e.g. `raw.lxc` or `disk:/etc`. */
  grant: string
  /** Where, relative to the config or devices map owner: ['config', key] or ['devices', name, field]. */
  path: (string | number)[]
  /** What it does, for messages. */
  why: string
}

/** Config keys that reach the host: every `raw.*` (lxc, idmap, apparmor, seccomp, qemu*) and kernel modules. */
export function isHostConfigKey(key: string): boolean {
  return key.startsWith('raw.') || key === 'linux.kernel_modules'
}

/** Host directories a disk device must not mount, with everything under them. */
const HOST_TREES = [
  '/etc',
  '/root',
  '/boot',
  '/proc',
  '/sys',
  '/var/lib/incus',
  '/var/lib/lxd',
  '/run/incus',
  '/run/lxd',
  '/var/snap/lxd',
]
/** Mounted themselves they expose the host (their other subpaths are ordinary). */
const HOST_ROOTS = new Set(['/', '/run', '/dev', '/var', '/var/lib', '/usr', '/home'])
/** Host disks, partitions, device-mapper volumes, raw memory and the kernel log. */
const HOST_DEVICE_RE =
  /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|loop(\d|-control)|dm-\d|md(\d|\/)|nbd\d|zd\d|zram\d|sg\d|sr\d|bsg(\/|$)|mtd\d|mapper(\/|$)|disk(\/|$)|block(\/|$)|mem$|kmem$|port$|kmsg$|root$)/

/** `/var/run/x/../incus/` -> `/run/incus`. */
export function normaliseHostPath(p: string): string {
  let n = posix.normalize(p)
  if (n.length > 1 && n.endsWith('/')) n = n.slice(0, -1)
  if (n === '/var/run' || n.startsWith('/var/run/')) n = n.slice('/var'.length)
  return n
}

const under = (p: string, tree: string) => p === tree || p.startsWith(`${tree}/`)

/** Why mounting host path `p` hands the host over, or undefined when it does not. */
export function hostPathRisk(p: string): string | undefined {
  const n = normaliseHostPath(p)
  if (HOST_ROOTS.has(n)) return `mounts the host's ${n === '/' ? 'root filesystem' : n}`
  const tree = HOST_TREES.find((t) => under(n, t))
  if (tree)
    return tree.includes('incus') || tree.includes('lxd')
      ? 'reaches the Incus daemon'
      : `exposes host ${tree}`
  if (HOST_DEVICE_RE.test(n)) return 'exposes a host disk or host memory'
  return undefined
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

export function configHostAccess(config: unknown): HostAccessItem[] {
  if (!isObj(config)) return []
  return Object.keys(config)
    .filter(isHostConfigKey)
    .map((key) => ({
      grant: key,
      path: ['config', key],
      why:
        key === 'linux.kernel_modules' ? 'loads modules into the host kernel' : 'is passed to the host as is',
    }))
}

function deviceItem(name: string, dev: Record<string, unknown>): HostAccessItem | undefined {
  const type = str(dev.type)
  if (type === 'disk' && dev.pool === undefined) {
    const source = str(dev.source)
    const why = source?.startsWith('/') ? hostPathRisk(source) : undefined
    return source && why
      ? { grant: `disk:${normaliseHostPath(source)}`, path: ['devices', name, 'source'], why }
      : undefined
  }
  if (type === 'unix-block' || type === 'unix-char') {
    const field = dev.source !== undefined ? 'source' : 'path'
    const host = str(dev[field])
    const why = host?.startsWith('/') ? hostPathRisk(host) : undefined
    return host && why
      ? { grant: `${type}:${normaliseHostPath(host)}`, path: ['devices', name, field], why }
      : undefined
  }
  if (type === 'proxy') {
    for (const field of ['connect', 'listen']) {
      const addr = str(dev[field])
      const path = addr?.startsWith('unix:/') ? addr.slice('unix:'.length) : undefined
      const why = path ? hostPathRisk(path) : undefined
      if (path && why)
        return { grant: `proxy:${normaliseHostPath(path)}`, path: ['devices', name, field], why }
    }
  }
  return undefined
}

export function devicesHostAccess(devices: unknown): HostAccessItem[] {
  if (!isObj(devices)) return []
  const out: HostAccessItem[] = []
  for (const [name, dev] of Object.entries(devices)) {
    const item = isObj(dev) ? deviceItem(name, dev) : undefined
    if (item) out.push(item)
  }
  return out
}

/** The grants a config and devices map need (`raw.lxc`, `disk:/etc`…), in order, without repeats. */
export function hostAccessGrants(config: unknown, devices: unknown): string[] {
  return [...new Set([...configHostAccess(config), ...devicesHostAccess(devices)].map((i) => i.grant))]
}

const GRANT_RE = /^(disk|unix-block|unix-char|proxy):(\/.*)$/

/** A grant as written in `host_access`, or an error message. */
export function grantError(grant: string): string | undefined {
  if (isHostConfigKey(grant)) return undefined
  const m = GRANT_RE.exec(grant)
  if (m) return undefined
  return `"${grant}" is not a host access grant`
}

/** Does the grant written by the user allow `item`? Device grants cover their subpaths. */
export function grants(grant: string, item: HostAccessItem): boolean {
  if (grant === item.grant) return true
  const g = GRANT_RE.exec(grant)
  const i = GRANT_RE.exec(item.grant)
  if (!g || !i || g[1] !== i[1]) return false
  return under(i[2] as string, normaliseHostPath(g[2] as string))
}
