/**
 * The normalised, typed infrastructure that `load()` returns once a file has
 * validated: every default applied, inheritance resolved (ephemeral, os_image),
 * subnets and addressing-mode IPs computed. Other packages (planner, nftables,
 * lifecycle, cli) consume only this shape, never raw YAML.
 */

export type TrustLevel = 'admin' | 'trusted' | 'semi-trusted' | 'untrusted' | 'disposable'
export type MachineType = 'lxc' | 'vm'
export type Protocol = 'tcp' | 'udp'

/** Where a value came from in the source files (1-based line and column). */
export interface SourcePos {
  file: string
  line: number
  col: number
}

export interface ResourcePolicy {
  hostReserve: { cpu: string; memory: string }
  mode: 'proportional' | 'equal'
  cpuMode: 'allowance' | 'count'
  memoryEnforce: 'soft' | 'hard'
  overcommit: boolean
}

export interface IsolationSettings {
  /** nftables table name, in family inet (default `anklume`). */
  table: string
  /** Domains may reach the outside world (default true). */
  egress: boolean
  /** Also emit Incus network ACLs per bridge (default false). */
  networkAcls: boolean
}

export interface GlobalSettings {
  /** `"A.B"` for base_subnet mode, or undefined in addressing mode. */
  baseSubnet: string | undefined
  addressing: { baseOctet: number; zoneBase: number; zoneStep: number } | undefined
  defaultOsImage: string
  defaultConnection: string | undefined
  defaultUser: string | undefined
  storagePool: string
  /** `storage_pool` was written in the file (else `default`, which a cluster may not have: see the engine's pool discovery). */
  storagePoolDeclared: boolean
  nestingPrefix: boolean
  resourcePolicy: ResourcePolicy | undefined
  gpuPolicy: 'exclusive' | 'shared'
  firewallMode: 'host' | 'vm'
  aiAccessPolicy: 'exclusive' | 'open'
  aiAccessDefault: string | undefined
  aiVramFlush: boolean
  isolation: IsolationSettings
}

export interface ProfileDef {
  name: string
  description: string
  config: Record<string, string>
  devices: Record<string, Record<string, string>>
}

export interface StorageVolumeDef {
  name: string
  pool: string
  size: string | undefined
  path: string
}

export interface CloudInit {
  userData: string | undefined
  vendorData: string | undefined
  networkConfig: string | undefined
}

export interface Machine {
  name: string
  domain: string
  description: string
  type: MachineType
  osImage: string
  /** Static IPv4 (declared, or assigned in addressing mode); undefined = DHCP. */
  ip: string | undefined
  ephemeral: boolean
  /** Incus cluster: member or `@group` (the machine's own, else its domain's); undefined = not declared. */
  placement: string | undefined
  gpu: boolean
  gpuPci: string | undefined
  profiles: string[]
  /** Raw Incus config, values stringified. */
  config: Record<string, string>
  devices: Record<string, Record<string, string>>
  storageVolumes: StorageVolumeDef[]
  bootAutostart: boolean | undefined
  bootPriority: number | undefined
  snapshotsSchedule: string | undefined
  /** In Incus syntax (`24H`, `60M`, `30d`, `2w`): the file's `24h`/`60m` are converted. */
  snapshotsExpiry: string | undefined
  weight: number
  cloudInit: CloudInit | undefined
  incusSocket: boolean
  /**
   * Host access the machine uses and its `host_access` allows (`raw.lxc`,
   * `disk:/etc`…), from its config, devices and profiles. Empty for most machines.
   */
  hostAccess: string[]
  roles: string[]
  /** Compatibility keys passed to the Ansible inventory only. */
  services: unknown
  vars: Record<string, unknown> | undefined
  exportApps: string[] | undefined
  persistentData: unknown
  pos: SourcePos | undefined
}

export interface Domain {
  name: string
  description: string
  /** Third octet of the subnet (base_subnet mode) or addressing sequence. */
  subnetId: number
  /** `A.B.C.0/24` */
  subnet: string
  /** `A.B.C.254` */
  gateway: string
  enabled: boolean
  ephemeral: boolean
  trustLevel: TrustLevel | undefined
  /** Incus cluster: member or `@group` the domain's machines run on; undefined = not declared. */
  placement: string | undefined
  profiles: ProfileDef[]
  limits: Partial<Record<'cpu' | 'memory' | 'disk' | 'instances' | 'processes', string>>
  restricted: boolean
  nat: boolean
  /** false = no zone; string = zone suffix (true maps to the project name). */
  dnsZone: string | false
  machines: Machine[]
  /** Compatibility keys (inventory only). */
  filePortal: { allowedPaths: string[]; readOnly: boolean } | undefined
  aiProvider: unknown
  aiSanitize: unknown
  pos: SourcePos | undefined
}

export interface NetworkPolicy {
  description: string
  /** Domain name, machine name or `host`. */
  from: string
  to: string
  /** 'all' or a sorted list of ports. */
  ports: number[] | 'all'
  /** undefined only with ports 'all' and no protocol given: every protocol. */
  protocol: Protocol | undefined
  bidirectional: boolean
  pos: SourcePos | undefined
}

export interface Infra {
  projectName: string
  schemaVersion: number
  global: GlobalSettings
  /** In declaration order (directory mode: file order). */
  domains: Domain[]
  networkPolicies: NetworkPolicy[]
  sharedVolumes: unknown
  /** Files the infra was read from. */
  sources: string[]
}

export type Severity = 'error' | 'warning'

export interface Issue {
  severity: Severity
  /** Stable code, e.g. `UNKNOWN_KEY`, `YAML_SYNTAX`, `DUPLICATE_IP`. */
  code: string
  /** Dotted key path, e.g. `domains.pro.machines.pro-dev.ip`. */
  path: string
  message: string
  hint?: string
  file?: string
  line?: number
  col?: number
  /** The text of that line (YAML syntax errors, duplicate keys): shown with a caret under `col`. */
  source?: string
}

/** Outcome of loading: an Infra when there is no error, and every issue found. */
export type LoadResult =
  | { ok: true; infra: Infra; issues: Issue[] }
  | { ok: false; infra: undefined; issues: Issue[] }

/** Facts about the host that some rules depend on (read by the caller, never by schema). */
export interface LoadContext {
  /** Nesting level from /etc/anklume/absolute_level (1 when absent) for the name prefix. */
  absoluteLevel?: number
  /** /etc/anklume/vm_nested = true: privileged LXC is tolerated. */
  vmNested?: boolean
  /** --yolo: privileged LXC becomes a warning. */
  yolo?: boolean
}
