/**
 * The checks of one mutant, in-process (the worker runs them under a time
 * budget). Needs the packages built (`pnpm build`).
 *
 * - validate (loadFromString) never throws anything but an AnklumeError;
 * - two validations give the same verdict and the same issues;
 * - every issue names its file, and a line when its key is in the file;
 *   printed, no issue carries a raw control character;
 * - a valid mutant plans offline, its plan text has no raw control
 *   character, its nftables table generates (nft -c runs in the parent, in
 *   batches);
 * - no declared key is silently dropped: every key of the YAML is an own key
 *   of the parsed data, and every domain, machine, profile, config key,
 *   device and storage volume of the data is in the validated infra.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml'

const dist = (pkg) => new URL(`../../packages/${pkg}/dist/index.js`, import.meta.url).href
const schema = await import(dist('schema'))
const errors = await import(dist('errors'))
const engine = await import(dist('engine'))
const planner = await import(dist('planner'))
const nftables = await import(dist('nftables'))

/** Every key name the format defines (JSON Schema properties, at any depth). */
const FORMAT_KEYS = (() => {
  const keys = new Set()
  const walk = (n, depth) => {
    if (!n || typeof n !== 'object' || depth > 80) return
    if (n.properties) for (const k of Object.keys(n.properties)) keys.add(k)
    for (const v of Object.values(n)) walk(v, depth + 1)
  }
  walk(schema.infraJsonSchema(), 0)
  return keys
})()

/** Raw C0/C1 controls, DEL, line separators and bidi overrides: what escapeControl escapes. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

function describeThrown(e) {
  return `${e?.name ?? typeof e}: ${e?.message ?? String(e)}`.slice(0, 300)
}

function validate(text, file) {
  try {
    return { result: schema.loadFromString(text, file) }
  } catch (e) {
    return { thrown: e }
  }
}

/** The value at a dotted issue path; keys may hold dots (`config.limits.memory`): longest match first. */
function resolvePath(data, path) {
  if (path === '') return { found: true }
  const parts = path.split('.')
  let node = data
  let i = 0
  while (i < parts.length) {
    if (node === null || typeof node !== 'object') return { found: false }
    let matched = false
    for (let j = parts.length; j > i; j--) {
      const key = parts.slice(i, j).join('.')
      const k = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key
      if (Object.hasOwn(node, k)) {
        node = node[k]
        i = j
        matched = true
        break
      }
    }
    if (!matched) return { found: false }
  }
  return { found: true }
}

/** Every key path of the YAML document (scalar keys only), as arrays. */
function yamlKeyPaths(doc) {
  const out = []
  const walk = (node, path, depth) => {
    if (depth > 80) return
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue
        const key = String(pair.key.value)
        if (key === '<<') continue
        out.push([...path, key])
        walk(pair.value, [...path, key], depth + 1)
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) walk(item, [...path, i], depth + 1)
    }
  }
  walk(doc.contents, [], 0)
  return out
}

function hasPath(data, path) {
  let node = data
  for (const k of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, k)) return false
    node = node[k]
  }
  return true
}

/** Declared things of the raw data that the validated infra must hold. */
function droppedKeys(data, infra) {
  const out = []
  const domains = isObj(data.domains) ? data.domains : {}
  for (const [dn, d] of Object.entries(domains)) {
    const nd = infra.domains.find((x) => x.name === dn)
    if (!nd) {
      out.push(`domain ${dn}`)
      continue
    }
    const profiles = isObj(d?.profiles) ? d.profiles : {}
    for (const [pn, p] of Object.entries(profiles)) {
      const np = nd.profiles.find((x) => x.name === pn)
      if (!np) out.push(`profile ${dn}.${pn}`)
      else {
        for (const k of Object.keys(isObj(p?.config) ? p.config : {}))
          if (!Object.hasOwn(np.config, k)) out.push(`profile ${pn} config ${k}`)
        for (const [dev, fields] of Object.entries(isObj(p?.devices) ? p.devices : {})) {
          if (!Object.hasOwn(np.devices, dev)) out.push(`profile ${pn} device ${dev}`)
          else
            for (const f of Object.keys(isObj(fields) ? fields : {}))
              if (!Object.hasOwn(np.devices[dev], f)) out.push(`profile ${pn} device ${dev}.${f}`)
        }
      }
    }
    const machines = isObj(d?.machines) ? d.machines : {}
    for (const [mn, m] of Object.entries(machines)) {
      const nm = nd.machines.find((x) => x.name === mn)
      if (!nm) {
        out.push(`machine ${mn}`)
        continue
      }
      for (const k of Object.keys(isObj(m?.config) ? m.config : {}))
        if (!Object.hasOwn(nm.config, k)) out.push(`machine ${mn} config ${k}`)
      for (const [dev, fields] of Object.entries(isObj(m?.devices) ? m.devices : {})) {
        if (!Object.hasOwn(nm.devices, dev)) out.push(`machine ${mn} device ${dev}`)
        else
          for (const f of Object.keys(isObj(fields) ? fields : {}))
            if (!Object.hasOwn(nm.devices[dev], f)) out.push(`machine ${mn} device ${dev}.${f}`)
      }
      for (const v of Object.keys(isObj(m?.storage_volumes) ? m.storage_volumes : {}))
        if (!nm.storageVolumes.some((s) => s.name === v)) out.push(`machine ${mn} storage volume ${v}`)
    }
  }
  const policies = Array.isArray(data.network_policies) ? data.network_policies.length : 0
  if (infra.networkPolicies.length < policies)
    out.push(`network_policies: ${policies} declared, ${infra.networkPolicies.length} kept`)
  return out
}

/**
 * Runs every check of one mutant. Returns `problems` (defects, one line
 * each), `valid`, and for a valid mutant its table (name and nft text) for
 * the parent's batched `nft -c`.
 */
export async function checkMutant(text, file) {
  const problems = []
  const first = validate(text, file)
  const second = validate(text, file)
  for (const v of [first, second]) {
    if (v.thrown && !errors.isAnklumeError(v.thrown))
      problems.push(`validate threw ${describeThrown(v.thrown)}`)
  }
  if (problems.length > 0 || first.thrown || second.thrown) {
    if (first.thrown && errors.isAnklumeError(first.thrown) && !second.thrown)
      problems.push('validate threw once, not twice')
    return { problems, valid: false }
  }
  const a = first.result
  const b = second.result
  const same = (r) => JSON.stringify({ ok: r.ok, issues: r.issues })
  if (same(a) !== same(b)) problems.push('two validations differ')

  // The YAML as the user wrote it, parsed once (no alias limit: the key paths of what was declared).
  let doc
  let data
  try {
    doc = parseDocument(text, { maxAliasCount: -1, uniqueKeys: false, logLevel: 'silent' })
    data = doc.toJS({ maxAliasCount: -1 })
  } catch {
    data = undefined
  }
  for (const issue of a.issues) {
    const shown = schema.formatIssue(issue)
    const [head, ...rest] = shown.split('\n  hint: ')
    if (RAW_CONTROL.test(head) || rest.some((h) => RAW_CONTROL.test(h)))
      problems.push(
        `issue ${issue.code} prints a raw control character: ${JSON.stringify(shown).slice(0, 200)}`,
      )
    if (!issue.file)
      problems.push(`issue ${issue.code} names no file: ${JSON.stringify(shown).slice(0, 200)}`)
    else if (
      issue.line === undefined &&
      data !== undefined &&
      issue.path !== '' &&
      resolvePath(data, issue.path).found
    )
      problems.push(
        `issue ${issue.code} at ${JSON.stringify(issue.path)} has no line though the key is in the file`,
      )
  }
  if (!a.ok) return { problems, valid: false }

  const infra = a.infra
  // No declared key silently dropped.
  if (doc === undefined || data === undefined)
    return { problems: [...problems, 'valid, but yaml cannot read it'], valid: true }
  const js = data
  for (const path of yamlKeyPaths(doc))
    if (!hasPath(js, path))
      problems.push(`key ${JSON.stringify(path.join('.'))} of the YAML is not in the data`)
  if (isObj(js)) for (const d of droppedKeys(js, infra)) problems.push(`valid, but dropped: ${d}`)
  // A key that is no key of the format (a name, a config key, an unknown key
  // under a record) is data: the validated infra holds it, or an issue names it.
  const kept = JSON.stringify(infra)
  const said = a.issues.map((i) => `${i.path} ${i.message}`).join('\n')
  for (const path of yamlKeyPaths(doc)) {
    const key = String(path[path.length - 1])
    if (FORMAT_KEYS.has(key) || kept.includes(JSON.stringify(key)) || said.includes(key)) continue
    problems.push(`valid, but key ${JSON.stringify(path.join('.'))} is in neither the infra nor an issue`)
  }

  // Plans offline; the plan text and the table generate.
  try {
    const planned = await engine.planInfra(undefined, infra, { level: 1 })
    const shown = planner.formatPlan(planned.plan)
    if (RAW_CONTROL.test(shown.replaceAll('\n', ' ')))
      problems.push(`plan text has a raw control character: ${JSON.stringify(shown).slice(0, 200)}`)
  } catch (e) {
    problems.push(`offline plan threw ${describeThrown(e)}`)
  }
  let table
  try {
    const ruleset = nftables.generateRuleset(nftables.isolationModel(infra, { level: 1 }))
    table = { name: ruleset.model.table, text: ruleset.text }
  } catch (e) {
    problems.push(`nft generation threw ${describeThrown(e)}`)
  }
  return { problems, valid: true, table }
}
