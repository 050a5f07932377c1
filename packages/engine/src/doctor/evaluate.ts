/**
 * Pure evaluation of the host facts: one finding per check, each with a fix
 * hint when it is not ok.
 */
import type { AnsibleFacts } from '@anklume/host'
import type { DoctorFacts, Finding, IncusFacts, MemberFacts } from './types.js'

/** API extensions anklume uses, and what happens without them. */
export const ANKLUME_EXTENSIONS: ReadonlyArray<{ name: string; required: boolean; why: string }> = [
  { name: 'projects', required: true, why: 'one Incus project per domain' },
  {
    name: 'instance_all_projects',
    required: true,
    why: 'one listing of every instance (plan, snapshots, flush)',
  },
  { name: 'profiles_all_projects', required: false, why: 'one profile listing (else one per project)' },
  { name: 'storage_volumes_all_projects', required: false, why: 'one volume listing (else one per project)' },
  { name: 'images_all_projects', required: false, why: 'one image listing (else one per project)' },
  { name: 'networks_all_projects', required: false, why: 'one network listing (else one per project)' },
  { name: 'network_acl', required: false, why: 'isolation.network_acls (Incus network ACLs)' },
  { name: 'network_dns', required: false, why: 'dns_zone (network zones)' },
]

function incusFindings(i: IncusFacts, storagePool: string): Finding[] {
  const out: Finding[] = [{ check: 'incus-version', status: 'ok', message: `Incus ${i.version}` }]
  const have = new Set(i.apiExtensions)
  const missing = ANKLUME_EXTENSIONS.filter((e) => !have.has(e.name))
  const required = missing.filter((e) => e.required)
  const present = ANKLUME_EXTENSIONS.filter((e) => have.has(e.name)).map((e) => e.name)
  out.push({
    check: 'api-extensions',
    status: required.length > 0 ? 'error' : missing.length > 0 ? 'warn' : 'ok',
    message:
      missing.length === 0
        ? `all ${ANKLUME_EXTENSIONS.length} extensions anklume uses are present: ${present.join(', ')}`
        : `missing: ${missing.map((e) => `${e.name} (${e.why})`).join('; ')}; present: ${present.join(', ') || 'none'}`,
    ...(missing.length > 0 ? { hint: 'upgrade Incus to the 6.0 LTS or later' } : {}),
  })
  const poolOk = i.storagePools.includes(storagePool)
  out.push({
    check: 'storage-pool',
    status: poolOk ? 'ok' : 'error',
    message: poolOk
      ? `storage pool "${storagePool}" present`
      : `storage pool "${storagePool}" not found (pools: ${i.storagePools.join(', ') || 'none'})`,
    ...(poolOk ? {} : { hint: `incus storage create ${storagePool} dir   (or set global.storage_pool)` }),
  })
  const root = Object.values(i.defaultProfileDevices).find((d) => d.type === 'disk' && d.path === '/')
  out.push({
    check: 'default-profile-root',
    status: root ? 'ok' : 'warn',
    message: root
      ? `the default profile has a root disk on pool "${root.pool ?? '?'}"`
      : 'the default profile of the default project has no root disk: instances there (disp --force) cannot start',
    ...(root ? {} : { hint: `incus profile device add default root disk path=/ pool=${storagePool}` }),
  })
  const fw = i.firewall
  out.push({
    check: 'firewall-driver',
    status: fw === 'nftables' ? 'ok' : fw === 'xtables' ? 'error' : 'warn',
    message: `Incus firewall driver: ${fw ?? 'unknown'}${fw === 'nftables' ? '' : ' (the anklume isolation table needs nftables)'}`,
    ...(fw === 'nftables'
      ? {}
      : {
          hint: 'install nftables, remove legacy iptables rules, restart Incus, then check `incus info | grep firewall`',
        }),
  })
  if (i.members) out.push(...memberFindings(i.members, storagePool))
  return out
}

/** One finding per cluster member: its state, roles and the pools it has. */
function memberFindings(members: readonly MemberFacts[], storagePool: string): Finding[] {
  const online = members.filter((m) => m.status.toLowerCase() === 'online').length
  const out: Finding[] = [
    {
      check: 'cluster',
      status: online === members.length ? 'ok' : 'warn',
      message: `Incus cluster of ${members.length} members, ${online} online; instances run on the members, isolated by Incus network ACLs each member enforces`,
      ...(online === members.length
        ? {}
        : { hint: 'plan and apply leave the instances of an offline member alone until it is back' }),
    },
  ]
  for (const m of members) {
    const up = m.status.toLowerCase() === 'online'
    const hasPool = m.pools.includes(storagePool)
    out.push({
      check: `member ${m.name}`,
      status: !up ? 'warn' : hasPool ? 'ok' : 'error',
      message: `${m.status}${m.message ? ` (${m.message})` : ''}; pools: ${m.pools.join(', ') || 'none'}; groups: ${m.groups.join(', ') || 'none'}${m.roles.length ? `; roles: ${m.roles.join(', ')}` : ''}`,
      ...(!up
        ? { hint: `bring it back (incus cluster list); its instances are left alone meanwhile` }
        : hasPool
          ? {}
          : {
              hint: `storage pool "${storagePool}" is missing on ${m.name}: instances placed there cannot be created`,
            }),
    })
  }
  return out
}

/** Checks that read the machine running anklume, not the Incus it drives. */
const THIS_MACHINE = new Set([
  'subuid',
  'subgid',
  'nft',
  'br_netfilter',
  'forward-policy',
  'subnet-overlap',
  'ansible-incus',
])

function idMapFinding(file: 'subuid' | 'subgid', text: string | undefined): Finding {
  const path = `/etc/${file}`
  const line = text?.split('\n').find((l) => l.startsWith('root:'))
  if (line) return { check: file, status: 'ok', message: `${path}: ${line.trim()}` }
  return {
    check: file,
    status: 'warn',
    message: `${path} ${text === undefined ? 'is missing' : 'has no root: entry'}: Incus falls back to its built-in id map`,
    hint: `echo "root:1000000:1000000000" >> ${path}, then restart Incus`,
  }
}

export function evaluateDoctor(f: DoctorFacts, opts: { storagePool?: string } = {}): Finding[] {
  const out = evaluateAll(f, opts)
  // Remote or cluster: say which checks are about this machine, not the Incus it drives.
  const clustered = f.incus.ok && f.incus.value.members !== undefined
  if (!f.remote && !clustered) return out
  return out.map((x) => (THIS_MACHINE.has(x.check) ? { ...x, scope: 'this machine' as const } : x))
}

function evaluateAll(f: DoctorFacts, opts: { storagePool?: string }): Finding[] {
  const out: Finding[] = []
  if (f.socket) {
    const s = f.socket
    out.push(
      !s.exists
        ? {
            check: 'incus-socket',
            status: 'error',
            message: `${s.path} does not exist`,
            hint: 'is incusd running? set INCUS_SOCKET or pass --socket',
          }
        : !s.accessible
          ? {
              check: 'incus-socket',
              status: 'error',
              message: `${s.path}: permission denied`,
              hint: 'run as root or join the incus-admin group',
            }
          : { check: 'incus-socket', status: 'ok', message: `${s.path} is reachable` },
    )
  } else if (f.remote) {
    out.push({ check: 'incus-remote', status: 'ok', message: `remote ${f.remote}` })
  }
  const pool = f.infra?.storagePool ?? opts.storagePool ?? 'default'
  if (f.incus.ok) out.push(...incusFindings(f.incus.value, pool))
  else {
    out.push({
      check: 'incus-api',
      status: 'error',
      message: `Incus does not answer: ${f.incus.error}`,
      hint: 'start incusd (incus admin waitready), check the socket path and permissions',
    })
  }
  out.push(idMapFinding('subuid', f.subuid), idMapFinding('subgid', f.subgid))
  out.push(
    f.nft.ok
      ? { check: 'nft', status: 'ok', message: f.nft.value.trim() }
      : {
          check: 'nft',
          status: 'error',
          message: `nft unavailable: ${f.nft.error}`,
          hint: 'apt-get install nftables',
        },
  )
  out.push(
    f.brNetfilter
      ? {
          check: 'br_netfilter',
          status: 'warn',
          message: f.brNetfilter.message,
          ...(f.brNetfilter.hint ? { hint: f.brNetfilter.hint } : {}),
        }
      : { check: 'br_netfilter', status: 'ok', message: 'br_netfilter is not loaded' },
  )
  if (!f.forward.ok) {
    out.push({
      check: 'forward-policy',
      status: 'warn',
      message: `could not read the ruleset: ${f.forward.error}`,
      hint: 'run doctor as root',
    })
  } else if (f.forward.value.length === 0) {
    out.push({
      check: 'forward-policy',
      status: 'ok',
      message: 'no other firewall drops forwarded traffic (Docker/ufw)',
    })
  } else {
    for (const w of f.forward.value) {
      out.push({
        check: 'forward-policy',
        status: 'warn',
        message: w.message,
        hint: w.hint ?? 'inspect it with: nft list ruleset',
      })
    }
  }
  if (f.ansible) out.push(ansibleFinding(f.ansible))
  if (!f.infra) {
    out.push({
      check: 'infra',
      status: 'ok',
      message: 'no infra file found: subnet overlap and drift checks skipped',
    })
    return out
  }
  const { overlaps, drift, isolation } = f.infra
  if (isolation) out.push(isolationFinding(isolation))
  if (!overlaps.ok)
    out.push({ check: 'subnet-overlap', status: 'warn', message: `could not check: ${overlaps.error}` })
  else if (overlaps.value.length === 0)
    out.push({ check: 'subnet-overlap', status: 'ok', message: 'no domain subnet overlaps a host network' })
  else
    for (const c of overlaps.value)
      out.push({
        check: 'subnet-overlap',
        status: 'error',
        message: c.message,
        hint: "change base_subnet or that domain's subnet_id",
      })
  if (!drift.ok) {
    out.push({
      check: 'drift',
      status: 'error',
      message: `plan failed: ${drift.error}`,
      hint: 'run anklume plan for details',
    })
  } else {
    out.push({
      check: 'drift',
      status: drift.value.changes === 0 ? 'ok' : 'warn',
      message: drift.value.summary,
      ...(drift.value.changes === 0 ? {} : { hint: 'anklume plan shows them; anklume apply converges' }),
    })
  }
  return out
}

/** The isolation table: loaded and up to date, missing (an error: domains are not isolated), different, unchecked. */
function isolationFinding(t: NonNullable<NonNullable<DoctorFacts['infra']>['isolation']>): Finding {
  const head = `isolation table inet ${t.table}`
  const fix = 'sudo anklume apply (or: sudo anklume nft apply)'
  switch (t.status) {
    case 'same':
      return { check: 'isolation', status: 'ok', message: `${head} loaded, as the infra file generates it` }
    case 'missing':
      return {
        check: 'isolation',
        status: 'error',
        message: `${head} is not loaded: domains are not isolated`,
        hint: fix,
      }
    case 'differs':
      return {
        check: 'isolation',
        status: 'warn',
        message: `${head} differs from the infra file: ${t.detail}`,
        hint: fix,
      }
    case 'unknown':
      return { check: 'isolation', status: 'warn', message: `${head} not checked: ${t.detail}` }
  }
}

/** What to install to get the plugin (Debian 12's own `ansible` is too old). */
export const ANSIBLE_INCUS_HINT =
  "ansible-galaxy collection install 'community.general>=8.2.0' (Debian 13's ansible package has it; Debian 12's has 6.6.2)"

/**
 * The inventory of `anklume sync` is for the community.general.incus
 * connection plugin: say whether Ansible has it, and what to install when
 * it does not. No Ansible at all is fine (it is only for provisioning).
 */
export function ansibleFinding(a: DoctorFacts['ansible'] & object): Finding {
  const check = 'ansible-incus'
  if (!a.ok)
    return {
      check,
      status: 'warn',
      message: `could not ask Ansible for its connection plugins: ${a.error}`,
      hint: 'ansible-doc -t connection community.general.incus',
    }
  const v: AnsibleFacts = a.value
  if (!v.installed)
    return {
      check,
      status: 'ok',
      message:
        'Ansible is not installed (only needed to provision machines through the `anklume sync` inventory)',
    }
  const core = `ansible-core ${v.core ?? '?'}`
  const cg = (c: { path: string; version: string }) => `community.general ${c.version} in ${c.path}`
  if (v.incusPlugin !== undefined) {
    const from = v.communityGeneral.find((c) => v.incusPlugin?.startsWith(`${c.path}/`))
    return {
      check,
      status: 'ok',
      message: `${core}: the community.general.incus connection plugin is installed${from ? `, from ${cg(from)}` : ` (${v.incusPlugin})`}`,
    }
  }
  const found = v.communityGeneral.map(cg).join(', ')
  return {
    check,
    status: 'warn',
    message: `${core} has no community.general.incus connection plugin (${
      found ? `${found}; the plugin ships from 8.2.0` : 'community.general is not installed'
    }): playbooks cannot reach the machines of the \`anklume sync\` inventory`,
    hint: ANSIBLE_INCUS_HINT,
  }
}

/** Exit status of doctor: non-zero when any finding is an error. */
export function doctorFailed(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.status === 'error')
}
