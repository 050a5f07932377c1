/** zod schema of a whole infra file (top level, `global`, `network_policies`). */
import { z } from 'zod'
import { NAME_RE, NFT_TABLE_RE } from './formats.js'
import { Domain } from './raw-domain.js'
import { AbsPath, BaseSubnet, nullable, Reserve } from './raw-primitives.js'

export const Addressing = z.strictObject({
  base_octet: z.literal(10, { error: 'must be 10 (addressing mode uses 10.0.0.0/8)' }),
  zone_base: z.number().int().min(0).max(245).optional().meta({ default: 100 }),
  zone_step: z.number().int().min(1).max(50).optional().meta({ default: 10 }),
})

export const HostReserve = z.strictObject({
  cpu: Reserve('cpu').optional().meta({ default: '20%' }),
  memory: Reserve('memory').optional().meta({ default: '20%' }),
})

export const ResourcePolicyMap = z.strictObject({
  host_reserve: HostReserve.optional(),
  mode: z.enum(['proportional', 'equal']).optional().meta({ default: 'proportional' }),
  cpu_mode: z.enum(['allowance', 'count']).optional().meta({ default: 'allowance' }),
  memory_enforce: z.enum(['soft', 'hard']).optional().meta({ default: 'soft' }),
  overcommit: z.boolean().optional(),
})

export const Isolation = z.strictObject({
  table: z
    .string()
    .regex(NFT_TABLE_RE, { error: 'must be a simple identifier (letters, digits, _)' })
    .optional()
    .meta({ default: 'anklume' }),
  egress: z.boolean().optional().meta({ default: true }),
  network_acls: z.boolean().optional().meta({ default: false }),
})

export const Global = z.strictObject({
  base_subnet: BaseSubnet.optional().meta({ default: '10.100' }),
  addressing: Addressing.optional(),
  default_os_image: z.string().min(1).optional().meta({ default: 'images:debian/13' }),
  default_connection: z.string().optional(),
  default_user: z.string().optional(),
  storage_pool: z.string().min(1).optional().meta({ default: 'default' }),
  nesting_prefix: z.boolean().optional(),
  resource_policy: z
    .union([z.boolean(), ResourcePolicyMap.nullable()], { error: 'must be true or a map' })
    .optional(),
  gpu_policy: z.enum(['exclusive', 'shared']).optional().meta({ default: 'exclusive' }),
  firewall_mode: z.enum(['host', 'vm']).optional().meta({ default: 'host' }),
  ai_access_policy: z.enum(['exclusive', 'open']).optional().meta({ default: 'open' }),
  ai_access_default: z.string().optional(),
  ai_vram_flush: z.boolean().optional(),
  isolation: Isolation.optional(),
})

const Port = z.number().int().min(1).max(65535)

export const NetworkPolicy = z.strictObject({
  description: z.string().optional(),
  from: z.string().min(1),
  to: z.string().min(1),
  ports: z
    .union([z.literal('all'), z.array(Port).min(1)], { error: 'must be "all" or a list of ports (1–65535)' })
    .optional()
    .meta({ default: 'all' }),
  protocol: z.enum(['tcp', 'udp']).optional(),
  bidirectional: z.boolean().optional(),
})

export const SharedVolume = z.strictObject({
  source: AbsPath.optional(),
  path: AbsPath.optional(),
  shift: z.boolean().optional(),
  propagate: z.boolean().optional(),
  consumers: z.record(z.string(), z.enum(['ro', 'rw'])),
})

export const Infra = z
  .strictObject({
    project_name: z.string().min(1),
    schema_version: z.number().int().min(1).optional().meta({ default: 1, maximum: 1 }),
    global: Global,
    domains: z
      .record(z.string(), nullable(Domain))
      .nullable()
      .meta({ propertyNames: { pattern: NAME_RE.source } }),
    network_policies: nullable(z.array(NetworkPolicy)),
    // Compatibility key (AnKLuMe): written to the Ansible inventory only.
    shared_volumes: nullable(z.record(z.string(), SharedVolume)),
  })
  .meta({ title: 'anklume infra file', description: 'Declarative Incus infrastructure (infra.yml).' })

export type RawInfra = z.output<typeof Infra>
export type RawGlobal = z.output<typeof Global>
export type RawPolicy = z.output<typeof NetworkPolicy>
