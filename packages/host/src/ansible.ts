/**
 * What this machine's Ansible can do with the inventory `anklume sync`
 * writes: is the `community.general.incus` connection plugin there (it
 * first ships in community.general 8.2.0; Debian 12's `ansible` carries
 * 6.6.2), and which community.general is installed where. Read the way
 * Ansible itself resolves them (ansible-doc, ansible-galaxy), so
 * ANSIBLE_COLLECTIONS_PATH and ansible.cfg count.
 */
import { type Captured, capture } from './capture.js'

export const ANSIBLE_INCUS_PLUGIN = 'community.general.incus'

export interface AnsibleFacts {
  /** False when `ansible-doc` is not on PATH. */
  installed: boolean
  /** ansible-core's version (`2.14.18`), when installed. */
  core?: string
  /** The file `community.general.incus` resolves to as a connection plugin; absent when it does not. */
  incusPlugin?: string
  /** Every community.general found, by path (version `*` when it has no manifest). */
  communityGeneral: Array<{ path: string; version: string }>
}

export interface AnsibleProbeOptions {
  /** Environment of the Ansible commands (default: this process's). */
  env?: NodeJS.ProcessEnv
  /** Directory holding ansible-doc and ansible-galaxy (default: PATH). */
  binDir?: string
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Captured> =>
  capture(cmd, args, { ...env, ANSIBLE_NOCOLOR: '1' })

function jsonOf(r: Captured, what: string): unknown {
  try {
    return JSON.parse(r.stdout)
  } catch {
    throw new Error(`${what} exited with ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 300)}`)
  }
}

export async function readAnsibleFacts(opts: AnsibleProbeOptions = {}): Promise<AnsibleFacts> {
  const env = opts.env ?? process.env
  const bin = (name: string) => (opts.binDir ? `${opts.binDir}/${name}` : name)
  let version: Captured
  try {
    version = await run(bin('ansible-doc'), ['--version'], env)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { installed: false, communityGeneral: [] }
    throw err
  }
  const core = /\[core ([^\]]+)\]/.exec(version.stdout)?.[1]
  const [doc, galaxy] = await Promise.all([
    run(bin('ansible-doc'), ['-t', 'connection', '--json', ANSIBLE_INCUS_PLUGIN], env),
    run(bin('ansible-galaxy'), ['collection', 'list', 'community.general', '--format', 'json'], env),
  ])
  // `{}` when the plugin is not found (with a warning on stderr), else its documentation.
  const found = jsonOf(doc, 'ansible-doc') as Record<string, { doc?: { filename?: string } }>
  const plugin = found[ANSIBLE_INCUS_PLUGIN]
  // `ansible-galaxy collection list` exits non-zero when the collection is nowhere.
  const listed = galaxy.stdout.trim().startsWith('{')
    ? (jsonOf(galaxy, 'ansible-galaxy') as Record<string, Record<string, { version?: string }>>)
    : {}
  const communityGeneral = Object.entries(listed).flatMap(([path, cols]) =>
    cols['community.general'] ? [{ path, version: cols['community.general'].version ?? '*' }] : [],
  )
  return {
    installed: true,
    ...(core ? { core } : {}),
    ...(plugin ? { incusPlugin: plugin.doc?.filename ?? ANSIBLE_INCUS_PLUGIN } : {}),
    communityGeneral,
  }
}
