/** Hand-made plan actions and desired objects for the executor's unit tests. */
import type {
  ActionOf,
  Change,
  DesiredInstance,
  DesiredNetwork,
  DesiredProfile,
  DesiredProject,
  DesiredVolume,
  Kind,
  Op,
} from '@anklume/planner'
import { actionId } from '@anklume/planner'
import type { NestingContext } from '@anklume/schema'
import type { OpsContext } from '../apply/ops-context.js'
import type { FakeIncus } from './fake-incus.test-util.js'

type Loose<K extends Kind> =
  ActionOf<K> extends infer A
    ? A extends unknown
      ? Omit<A, 'id' | 'dependsOn' | 'reason' | 'changes'> & { changes?: Change[] }
      : never
    : never

/** An action with its id, no edges, and a reason. */
export function act<K extends Kind>(
  a: Loose<K> & { kind: K; op: Op; name: string; project?: string; pool?: string; changes?: Change[] },
): ActionOf<K> {
  const id = actionId(a.kind, a.kind === 'volume' ? `${a.project}/${a.pool}` : a.project, a.name, a.op)
  return { ...a, id, dependsOn: [], reason: 'test', changes: a.changes ?? [] } as unknown as ActionOf<K>
}

export const nesting: NestingContext = { absoluteLevel: 0, relativeLevel: 0, vmNested: false, yolo: false }

export const ctxOf = (fake: FakeIncus, extra: Partial<OpsContext> = {}): OpsContext => ({
  client: fake.client,
  signal: undefined,
  nesting,
  ...extra,
})

export const network = (name: string): DesiredNetwork => ({
  name,
  domain: 'pro',
  description: `bridge ${name}`,
  config: { 'ipv4.address': '10.100.2.254/24' },
})

export const project = (name: string): DesiredProject => ({
  name,
  domain: name,
  description: `project ${name}`,
  config: { 'features.images': 'false' },
})

export const profile = (projectName: string, name: string): DesiredProfile => ({
  project: projectName,
  name,
  domain: projectName,
  description: `profile ${name}`,
  config: { 'limits.cpu': '2' },
  devices: { shm: { type: 'disk', source: '/dev/shm', path: '/mnt/shm' } },
})

export const volume = (projectName: string, name: string): DesiredVolume => ({
  project: projectName,
  pool: 'default',
  name,
  domain: projectName,
  description: `volume ${name}`,
  config: { size: '1GiB' },
})

export const instance = (
  projectName: string,
  name: string,
  extra: Partial<DesiredInstance> = {},
): DesiredInstance => ({
  project: projectName,
  name,
  machine: name,
  domain: projectName,
  type: 'container',
  description: '',
  image: 'images:debian/13',
  source: { type: 'image', alias: 'debian/13' },
  profiles: ['default'],
  config: { 'user.anklume.managed': 'true' },
  devices: {},
  protected: false,
  needsSocketDir: false,
  ...extra,
})
