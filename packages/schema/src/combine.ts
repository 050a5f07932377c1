/**
 * Combining parsed files into one infra value with a Locator: a single file,
 * or the directory layout base.yml + domains/*.yml (alphabetical) + policies.yml.
 */
import { Locator, type Mount } from './locator.js'
import { didYouMean } from './suggest.js'
import type { Issue } from './types.js'
import { isObj, type Obj } from './view.js'
import { nodeAt, type ParsedFile, type Path, positionOf } from './yaml-doc.js'

export interface Combined {
  data: unknown
  locator: Locator
  /** YAML and layout issues found while reading and combining. */
  issues: Issue[]
  /** A YAML syntax error: the data cannot be validated further. */
  fatal: boolean
}

function issueAt(
  file: ParsedFile,
  inner: Path,
  path: string,
  code: string,
  message: string,
  hint?: string,
): Issue {
  const pos = positionOf(file, nodeAt(file, inner, 'key'))
  return { severity: 'error', code, path, message, ...(hint ? { hint } : {}), file: file.file, ...pos }
}

export function combineSingle(file: ParsedFile): Combined {
  return {
    data: file.data,
    locator: new Locator([{ prefix: [], file, filePrefix: [] }]),
    issues: [...file.issues],
    fatal: file.fatal,
  }
}

export function combineDirectory(
  base: ParsedFile,
  domainFiles: ParsedFile[],
  policies?: ParsedFile,
): Combined {
  const all = [base, ...domainFiles, ...(policies ? [policies] : [])]
  const issues = all.flatMap((f) => f.issues)
  const fatal = all.some((f) => f.fatal)
  const files = all.map((f) => f.file)
  const mounts: Mount[] = [{ prefix: [], file: base, filePrefix: [] }]
  if (fatal || !isObj(base.data))
    return { data: base.data, locator: new Locator(mounts, files), issues, fatal }

  const data: Obj = { ...base.data }
  const origin = new Map<string, string>()
  if (isObj(base.data.domains)) for (const name of Object.keys(base.data.domains)) origin.set(name, base.file)
  if (base.data.domains === undefined || base.data.domains === null || isObj(base.data.domains)) {
    const domains: Obj = { ...(isObj(base.data.domains) ? base.data.domains : {}) }
    for (const f of domainFiles) {
      if (f.data === null || f.data === undefined) continue
      if (!isObj(f.data)) {
        issues.push(issueAt(f, [], 'domains', 'INVALID_TYPE', 'a domains file maps domain names to domains'))
        continue
      }
      for (const [name, d] of Object.entries(f.data)) {
        const first = origin.get(name)
        if (first !== undefined) {
          issues.push(
            issueAt(
              f,
              [name],
              `domains.${name}`,
              'DUPLICATE_DOMAIN',
              `domain "${name}" is defined in both ${first} and ${f.file}`,
            ),
          )
          continue
        }
        origin.set(name, f.file)
        domains[name] = d
        mounts.push({ prefix: ['domains', name], file: f, filePrefix: [name] })
      }
    }
    data.domains = domains
  }

  if (policies && isObj(policies.data)) {
    for (const key of Object.keys(policies.data)) {
      if (key !== 'network_policies')
        issues.push(
          issueAt(
            policies,
            [key],
            key,
            'UNKNOWN_KEY',
            `unknown key "${key}" in ${policies.file}`,
            didYouMean(key, ['network_policies']) ?? 'policies.yml holds only network_policies',
          ),
        )
    }
    const extra = policies.data.network_policies
    const own = data.network_policies
    if (Array.isArray(extra) && (own === undefined || own === null || Array.isArray(own))) {
      const offset = Array.isArray(own) ? own.length : 0
      data.network_policies = [...(Array.isArray(own) ? own : []), ...extra]
      for (const j of extra.keys()) {
        mounts.push({
          prefix: ['network_policies', offset + j],
          file: policies,
          filePrefix: ['network_policies', j],
        })
      }
    } else if (extra !== undefined && (own === undefined || own === null)) {
      data.network_policies = extra
      mounts.push({ prefix: ['network_policies'], file: policies, filePrefix: ['network_policies'] })
    }
  } else if (policies && policies.data !== null && policies.data !== undefined) {
    issues.push(
      issueAt(
        policies,
        [],
        'network_policies',
        'INVALID_TYPE',
        'policies.yml must be a map with a network_policies list',
      ),
    )
  }
  return { data, locator: new Locator(mounts, files), issues, fatal }
}
