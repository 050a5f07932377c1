/** The JSON the server sends (mirrors src/state.ts and src/live.ts of the package). */
export interface MachineView {
  machine: string
  instance: string
  project: string
  type: 'container' | 'virtual-machine'
  exists: boolean
  state: string
  ipv4: string[]
  declaredIp: string | undefined
  cpuSeconds: number | undefined
  memoryBytes: number | undefined
  snapshots: string[]
  protected: boolean
  location: string | undefined
  managed: boolean
}

export interface DomainView {
  name: string
  project: string
  trustLevel: string
  colour: string
  subnet: string
  bridge: string | undefined
  enabled: boolean
  projectExists: boolean
  bridgeExists: boolean
  machines: MachineView[]
}

export type GraphEndpoint =
  | { kind: 'host' }
  | { kind: 'domain'; name: string }
  | { kind: 'machine'; name: string }

export interface InfraGraph {
  title: string
  clusters: Array<{
    name: string
    subnet: string
    trustLevel: string | undefined
    enabled: boolean
    machines: Array<{ name: string; ip: string | undefined; type: 'lxc' | 'vm' }>
  }>
  host: boolean
  edges: Array<{
    from: GraphEndpoint
    to: GraphEndpoint
    label: string
    bidirectional: boolean
    description: string
  }>
}

export interface DriftView {
  summary: string
  actions: Array<{ id: string; op: string; kind: string; label: string; reason: string; domain?: string }>
  warnings: string[]
}

export interface State {
  infra: string
  target: string
  clustered: boolean
  domains: DomainView[]
  graph: InfraGraph
  drift: DriftView | { error: string } | { pending: true }
  observedAt: string
  events: 'connecting' | 'connected' | 'reconnecting'
  allowActions: boolean
  planning: boolean
}
