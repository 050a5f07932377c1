/**
 * An in-memory Incus for the executor's unit tests, served by the fake
 * daemon of @anklume/test-utils on a unix socket, so the real client talks
 * real HTTP to it. It keeps networks, projects, profiles, custom volumes, instances
 * (with their state and files) and their ETags, checks If-Match, and can be
 * told to fail the next matching requests the way Incus 6.0 does now and then.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createClient, type IncusClient } from '@anklume/incus-client'
import { type FakeIncusd, failure, fakeIncusd, reply, sync } from '@anklume/test-utils'

export type FakeObject = Record<string, unknown> & { name: string }

interface Fault {
  method: string
  path: RegExp
  status: number
  message: string
  times: number
  /** Runs when the fault fires (e.g. the bridge goes away anyway). */
  after?: (() => void) | undefined
}

export interface FakeIncus {
  client: IncusClient
  daemon: FakeIncusd
  /**
   * Objects by key: `networks/NAME`, `projects/NAME`, `profiles/PROJECT/NAME`,
   * `volumes/PROJECT/POOL/NAME`, `instances/PROJECT/NAME`, `files/PROJECT/INSTANCE/PATH`.
   */
  objects: Map<string, { value: FakeObject; etag: number }>
  get(key: string): FakeObject | undefined
  /** Stores an object as if it existed (a fresh ETag). */
  seed(key: string, value: FakeObject): void
  /** Bumps an object's ETag, as a concurrent edit would. */
  touch(key: string): void
  /** Requests seen that change something: `METHOD /path?query`. */
  writes(): string[]
  /** Fails the next `times` (default 1) requests matching `METHOD` and `path`. */
  fail(
    method: string,
    path: RegExp,
    status: number,
    message: string,
    opts?: { times?: number; after?: () => void },
  ): void
  close(): Promise<void>
}

const COLLECTIONS = [
  'networks',
  'projects',
  'profiles',
  'volumes',
  'instances',
  'network-acls',
  'network-zones',
  'images',
] as const

/** Extensions that let the client list across projects in one GET. */
const EXTENSIONS = ['instance_all_projects', 'profiles_all_projects', 'storage_volumes_all_projects']

interface Route {
  /** The object's key, or the collection's key prefix for a POST or a list. */
  key: string
  collection: string
  sub: string | undefined
  /** Objects live per project (the key's second part). */
  scoped: boolean
  /** The keys a list across projects returns. */
  everywhere: RegExp
}

/** `/1.0/...` + `?project=` -> where the object lives in the map. */
function route(url: URL): Route | undefined {
  const project = url.searchParams.get('project') ?? 'default'
  const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent)
  let [collection, ...rest] = parts
  let scope: string[] = []
  let everywhere = `^${collection}/[^/]+$`
  if (collection === 'storage-pools') {
    // storage-pools/POOL/volumes/custom[/NAME]
    scope = [project, rest[0] ?? '']
    everywhere = `^volumes/[^/]+/${rest[0]}/[^/]+$`
    collection = 'volumes'
    rest = rest.slice(3)
  } else if (collection === 'profiles' || collection === 'instances') {
    scope = [project]
    everywhere = `^${collection}/[^/]+/[^/]+$`
  }
  if (!COLLECTIONS.includes(collection as (typeof COLLECTIONS)[number])) return undefined
  const [name, sub] = rest
  const prefix = [collection, ...scope].join('/')
  const key = name === undefined ? prefix : `${prefix}/${name}`
  return { key, collection: prefix, sub, scoped: scope.length > 0, everywhere: new RegExp(everywhere) }
}

export async function fakeIncus(): Promise<FakeIncus> {
  const objects = new Map<string, { value: FakeObject; etag: number }>()
  const faults: Fault[] = []
  let etags = 0
  const store = (key: string, value: FakeObject) => objects.set(key, { value, etag: ++etags })

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://incus')
    const fault = faults.find((f) => f.method === method && f.path.test(url.pathname) && f.times > 0)
    if (fault) {
      fault.times--
      fault.after?.()
      return reply(res, fault.status, failure(fault.status, fault.message))
    }
    const ok = (metadata: unknown = null, headers = {}) => reply(res, 200, sync(metadata), headers)
    const fail = (status: number, message: string) => reply(res, status, failure(status, message))
    if (url.pathname === '/1.0')
      return ok({ api_extensions: EXTENSIONS, environment: { firewall: 'nftables' } })
    const r = route(url)
    if (!r) return fail(404, 'not found')
    const json = () => (body ? (JSON.parse(body) as Record<string, unknown>) : {})
    const stored = objects.get(r.key)

    if (r.sub === 'files') return files(req, res, url, r.key, stored !== undefined, body)
    if (method === 'POST' && r.sub === undefined && r.key === r.collection) {
      const value = json() as FakeObject
      const key = `${r.collection}/${value.name}`
      if (objects.has(key)) return fail(409, `${value.name} already exists`)
      const extra = r.collection.startsWith('instances') ? { status: 'Stopped' } : {}
      store(key, { config: {}, description: '', ...value, ...extra })
      // A new project comes with its empty default profile, as Incus makes it.
      if (r.collection === 'projects') {
        const description = `Default Incus profile for project ${value.name}`
        store(`profiles/${value.name}/default`, { name: 'default', config: {}, description, devices: {} })
      }
      return ok()
    }
    if (method === 'GET' && r.key === r.collection) return ok(list(r, url))
    if (!stored) return fail(404, 'not found')
    const obj = stored.value
    if (r.sub === 'state' && method === 'GET') {
      return ok({ status: obj.status, status_code: obj.status === 'Running' ? 103 : 102 })
    }
    if (r.sub === 'state' && method === 'PUT') return setState(obj, json().action as string, ok, fail)
    if (r.sub === 'rebuild' && method === 'POST') {
      if (obj.status !== 'Stopped') return fail(400, 'Instance must be stopped to be rebuilt')
      obj.source = json().source
      return ok()
    }
    switch (method) {
      case 'GET':
        return ok(obj, { etag: String(stored.etag) })
      case 'PUT': {
        const match = req.headers['if-match']
        if (match !== undefined && match !== String(stored.etag)) return fail(412, 'ETag mismatch')
        const put = json()
        for (const k of ['config', 'devices', 'profiles', 'description', 'ingress', 'egress'] as const) {
          if (k in put) obj[k] = put[k]
        }
        store(r.key, obj)
        return ok()
      }
      case 'PATCH': {
        const patch = json()
        obj.config = { ...(obj.config as object), ...(patch.config as object) }
        store(r.key, obj)
        return ok()
      }
      case 'DELETE':
        if (obj.status === 'Running') return fail(400, 'Instance is running')
        if (obj.config && (obj.config as Record<string, string>)['security.protection.delete'] === 'true')
          return fail(403, 'Instance is protected')
        objects.delete(r.key)
        return ok()
      default:
        return fail(405, 'method not allowed')
    }
  }

  /**
   * The collection's objects (each with its project), in one project or across
   * all; without `recursion`, their URLs, as Incus answers.
   */
  const list = (r: Route, url: URL) => {
    const all = url.searchParams.get('all-projects') === 'true'
    const match = all ? r.everywhere : new RegExp(`^${r.collection}/[^/]+$`)
    const found = [...objects].filter(([key]) => match.test(key))
    if ((url.searchParams.get('recursion') ?? '0') === '0')
      return found.map(([key]) => {
        const parts = key.split('/')
        const name = encodeURIComponent(parts.at(-1) as string)
        return r.scoped
          ? `/1.0/${parts[0]}/${name}?project=${parts[1]}`
          : `/1.0/${parts.slice(0, -1).join('/')}/${name}`
      })
    return found.map(([key, { value }]) => (r.scoped ? { ...value, project: key.split('/')[1] } : value))
  }

  const setState = (
    obj: FakeObject,
    action: string,
    ok: () => void,
    fail: (status: number, message: string) => void,
  ) => {
    if (action === 'start' || action === 'restart') {
      if (action === 'restart' && obj.status !== 'Running') return fail(400, 'The instance is not running')
      obj.status = 'Running'
    } else if (action === 'stop') {
      if (obj.status === 'Stopped') return fail(400, 'The instance is already stopped')
      obj.status = 'Stopped'
    }
    return ok()
  }

  const files = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    instance: string,
    exists: boolean,
    content: string,
  ) => {
    if (!exists) return reply(res, 404, failure(404, 'Instance not found'))
    const key = `files/${instance.slice('instances/'.length)}${url.searchParams.get('path')}`
    if (req.method === 'POST') {
      store(key, { name: key, type: String(req.headers['x-incus-type'] ?? 'file'), content })
      return reply(res, 200, sync(null))
    }
    const file = objects.get(key)?.value
    if (!file) return reply(res, 404, failure(404, 'No such file or directory'))
    res.writeHead(200, { 'x-incus-type': String(file.type), 'x-incus-mode': '0644' })
    res.end(String(file.content ?? ''))
  }
  const daemon = await fakeIncusd(handle)
  const client = createClient({ socketPath: daemon.socketPath, retries: 0 })
  return {
    client,
    daemon,
    objects,
    get: (key) => objects.get(key)?.value,
    seed: store,
    touch: (key) => {
      const o = objects.get(key)
      if (o) store(key, o.value)
    },
    writes: () => daemon.seen.filter((s) => !s.startsWith('GET ')),
    fail: (method, path, status, message, opts = {}) => {
      faults.push({ method, path, status, message, times: opts.times ?? 1, after: opts.after })
    },
    close: async () => {
      await client.close()
      await daemon.close()
    },
  }
}
