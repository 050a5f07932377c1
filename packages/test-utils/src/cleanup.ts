/**
 * Removes every Incus object whose name starts with a test run's prefix, in
 * dependency order: instances, volumes, profiles, images, projects, ACLs,
 * networks. Objects of other runs or of the user are never touched.
 */
import { raw, rawWait } from './incus-raw.js'

interface Named {
  name: string
  project?: string
  config?: Record<string, string>
}

async function list(path: string): Promise<Named[]> {
  const res = await raw('GET', path)
  return res.status === 200 && Array.isArray(res.body.metadata) ? (res.body.metadata as Named[]) : []
}

const q = (project: string | undefined) => `?project=${encodeURIComponent(project ?? 'default')}`

export async function cleanupPrefix(prefix: string): Promise<void> {
  const mine = (n: Named) => n.name.startsWith(prefix)
  const projects = (await list('/1.0/projects?recursion=1')).filter((p) => p.name === 'default' || mine(p))
  for (const inst of await list('/1.0/instances?recursion=1&all-projects=true')) {
    if (!mine(inst) && !projects.some((p) => p.name !== 'default' && p.name === inst.project)) continue
    const path = `/1.0/instances/${inst.name}${q(inst.project)}`
    await rawWait('PATCH', path, { config: { 'security.protection.delete': 'false' } })
    await rawWait('PUT', `/1.0/instances/${inst.name}/state${q(inst.project)}`, {
      action: 'stop',
      force: true,
    })
    await rawWait('DELETE', path)
  }
  for (const p of projects) {
    for (const pool of await list('/1.0/storage-pools?recursion=1')) {
      for (const v of await list(
        `/1.0/storage-pools/${pool.name}/volumes/custom?recursion=1${q(p.name).replace('?', '&')}`,
      )) {
        if (p.name === 'default' && !mine(v)) continue
        await rawWait('DELETE', `/1.0/storage-pools/${pool.name}/volumes/custom/${v.name}${q(p.name)}`)
      }
    }
    if (p.name === 'default') continue
    for (const prof of await list(`/1.0/profiles?recursion=1${q(p.name).replace('?', '&')}`)) {
      if (prof.name !== 'default') await rawWait('DELETE', `/1.0/profiles/${prof.name}${q(p.name)}`)
    }
    await rawWait('DELETE', `/1.0/projects/${p.name}?force=true`)
  }
  for (const prof of await list('/1.0/profiles?recursion=1')) {
    if (mine(prof)) await rawWait('DELETE', `/1.0/profiles/${prof.name}`)
  }
  // Bridges one at a time (parallel deletes can fail spuriously, testing.md).
  for (const net of await list('/1.0/networks?recursion=1')) {
    if (mine(net) || net.name.includes(`-${prefix}`) || net.name.startsWith(`net-${prefix}`)) {
      await rawWait('DELETE', `/1.0/networks/${net.name}`)
    }
  }
  // ACLs and zones last: Incus refuses to delete one a bridge still uses.
  for (const zone of await list('/1.0/network-zones?recursion=1')) {
    if (mine(zone)) await rawWait('DELETE', `/1.0/network-zones/${zone.name}`)
  }
  for (const acl of await list('/1.0/network-acls?recursion=1')) {
    // anklume names a domain's ACL acl-<bridge>, e.g. acl-net-t1a2bx.
    if (mine(acl) || acl.name.includes(`-${prefix}`)) await rawWait('DELETE', `/1.0/network-acls/${acl.name}`)
  }
}
