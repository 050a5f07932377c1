/**
 * `createClient()`: one connection pool, the raw request escape hatch, and
 * one group of typed calls per Incus resource.
 */
import { Core, type IncusResponse, type RequestOptions, type WaitOptions } from './core.js'
import { type ClientStats, Http, type RequestEvent, type WaitingEvent } from './http.js'
import { operationsGroup } from './operations.js'
import { type Cluster, clusterGroup } from './resources/cluster.js'
import { type ExecOptions, type ExecResult, execCommand } from './resources/exec.js'
import { type Files, filesGroup } from './resources/files.js'
import { type Images, imagesGroup } from './resources/images.js'
import { type Instances, instancesGroup } from './resources/instances.js'
import {
  type NetworkAcls,
  type Networks,
  type NetworkZones,
  networkAclsGroup,
  networksGroup,
  networkZonesGroup,
} from './resources/networking.js'
import { type Profiles, type Projects, profilesGroup, projectsGroup } from './resources/projects.js'
import { type Snapshots, snapshotsGroup } from './resources/snapshots.js'
import { type Storage, storageGroup } from './resources/storage.js'
import { createTransport, type RemoteOptions } from './transport.js'
import type { CallOptions } from './types/common.js'
import type { Operation } from './types/operation.js'
import type { Resources } from './types/resources.js'
import type { ServerInfo } from './types/server.js'
import {
  type EventOptions,
  type EventStream,
  type IncusEvent,
  openTerminal,
  subscribeEvents,
  type Terminal,
  type TerminalOptions,
} from './websocket.js'

export interface ClientOptions {
  /** Unix socket of the local daemon; resolved from the environment when omitted (see resolveSocketPath). */
  socketPath?: string
  /** An HTTPS remote instead of the unix socket. */
  remote?: RemoteOptions
  /** Called after each HTTP exchange (retries and operation waits included). */
  onRequest?: (event: RequestEvent) => void
  userAgent?: string
  /** Extra tries of GET/HEAD requests after a transport error (default 2). */
  retries?: number
  /** Limit for response headers and between body chunks, in ms (default 300 000). */
  requestTimeoutMs?: number
  /**
   * Called while a request has no answer yet: after `waitingNoticeMs`
   * (default 5000), then at doubling intervals; not for operation long polls.
   * For a "waiting for Incus…" line: a daemon that accepts and never answers
   * is otherwise silent until the timeout.
   */
  onWaiting?: (event: WaitingEvent) => void
  waitingNoticeMs?: number
  /** Most connections open at once (default 32); each operation wait holds one while it long-polls. */
  connections?: number
  /** Act as if the server lacked these API extensions (e.g. to use the per-project listing fallback). */
  ignoreExtensions?: string[]
}

export interface IncusClient {
  /** `GET /1.0` (cached after the first call). */
  server(options?: CallOptions): Promise<ServerInfo>
  hasExtension(name: string, options?: CallOptions): Promise<boolean>
  /** Any API call; throws IncusError on error answers. Does not wait for operations. */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<IncusResponse<T>>
  /** Waits for an operation; undefined when it finished and was already forgotten. */
  wait(operationIdOrUrl: string, options?: WaitOptions): Promise<Operation | undefined>
  readonly projects: Projects
  /** Networks (managed bridges live in the `default` project). */
  readonly networks: Networks
  readonly profiles: Profiles
  readonly instances: Instances
  readonly snapshots: Snapshots
  readonly storage: Storage
  readonly images: Images
  readonly files: Files
  exec(instance: string, command: string[], options?: ExecOptions): Promise<ExecResult>
  /** `/1.0/events` over a websocket; resolves once subscribed. */
  events(onEvent: (event: IncusEvent) => void, options?: EventOptions): Promise<EventStream>
  /** An interactive exec on a pseudo-terminal (exec's data and control websockets). */
  terminal(instance: string, command: string[], options?: TerminalOptions): Promise<Terminal>
  resources(options?: CallOptions): Promise<Resources>
  /** Incus clustering: `isClustered()`, `members()`. */
  readonly cluster: Cluster
  readonly networkAcls: NetworkAcls
  readonly networkZones: NetworkZones
  readonly operations: ReturnType<typeof operationsGroup>
  /** Counters of HTTP exchanges since the client was created. */
  readonly stats: Readonly<ClientStats>
  /** Where requests go: the socket path or the remote origin. */
  readonly target: string
  /** Closes the pooled connections (waits for requests in flight). */
  close(): Promise<void>
  /** Closes the connections at once: requests in flight fail (a caller giving up before it needed the daemon). */
  destroy(): Promise<void>
}

export function createClient(options: ClientOptions = {}): IncusClient {
  const transport = createTransport(options)
  const http = new Http(transport, options)
  const core = new Core(http, options.ignoreExtensions)
  return {
    server: (o = {}) => core.server(o.signal),
    hasExtension: (name, o = {}) => core.hasExtension(name, o.signal),
    request: (method, path, o) => core.request(method, path, o),
    wait: (op, o) => core.wait(op, o),
    projects: projectsGroup(core),
    networks: networksGroup(core),
    profiles: profilesGroup(core),
    instances: instancesGroup(core),
    snapshots: snapshotsGroup(core),
    storage: storageGroup(core),
    images: imagesGroup(core),
    files: filesGroup(core),
    exec: (instance, command, o) => execCommand(core, instance, command, o),
    events: (onEvent, o) => subscribeEvents(transport.websocket, onEvent, o),
    terminal: (instance, command, o) => openTerminal(core, transport.websocket, instance, command, o),
    resources: async (o = {}) => (await core.request<Resources>('GET', '/1.0/resources', o)).metadata,
    cluster: clusterGroup(core),
    networkAcls: networkAclsGroup(core),
    networkZones: networkZonesGroup(core),
    operations: operationsGroup(core),
    stats: http.stats,
    target: http.target,
    close: () => http.close(),
    destroy: () => http.destroy(),
  }
}
