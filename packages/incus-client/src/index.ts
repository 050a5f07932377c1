export { type ClientOptions, createClient, type IncusClient } from './client.js'
export type { IncusResponse, RawResponse, RequestOptions, WaitOptions } from './core.js'
export { IncusError, type IncusErrorCode, type IncusErrorDetails, isIncusError } from './errors.js'
export type { ClientStats, Query, RequestEvent, WaitingEvent } from './http.js'
export type { ProjectScope } from './listing.js'
export { operationId } from './operations.js'
export type { Cluster } from './resources/cluster.js'
export type { Crud } from './resources/crud.js'
export type { ExecOptions, ExecResult } from './resources/exec.js'
export type { FileContent, FileOwnership, Files } from './resources/files.js'
export type { ImageAliases, ImageExport, Images } from './resources/images.js'
export type { InstanceDeleteOptions, Instances } from './resources/instances.js'
export type { NetworkAcls, Networks, NetworkZones } from './resources/networking.js'
export type { Profiles, ProjectDeleteOptions, Projects } from './resources/projects.js'
export type { Snapshots } from './resources/snapshots.js'
export type { Storage, StorageVolumes } from './resources/storage.js'
export { resolveSocketPath } from './socket.js'
export type { RemoteOptions } from './transport.js'
export type * from './types/index.js'
export type {
  EventOptions,
  EventStream,
  IncusEvent,
  IncusEventType,
  Terminal,
  TerminalOptions,
} from './websocket.js'
