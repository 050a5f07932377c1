/** One Python-era machine → one infra.yml machine (keyed by its Incus name `<domain>-<machine>`). */

const GPU_PROFILE = 'gpu-passthrough'
const GUI_PROFILE = 'gui'
const COPIED = ['description', 'type', 'ephemeral', 'roles', 'config', 'vars', 'weight'] as const

export function convertMachine(
  domain: string,
  short: string,
  raw: Record<string, unknown>,
  ip: string | undefined,
  warn: (message: string) => void,
): [string, Record<string, unknown>] {
  const name = `${domain}-${short}`
  const out: Record<string, unknown> = {}
  const copy = (key: (typeof COPIED)[number]) => {
    if (raw[key] !== undefined && raw[key] !== null) out[key] = raw[key]
  }
  copy('description')
  copy('type')
  if (ip !== undefined) out.ip = ip
  copy('ephemeral')
  const type = raw.type === 'vm' ? 'vm' : 'lxc'
  const rawProfiles = Array.isArray(raw.profiles) ? raw.profiles.map(String) : undefined
  let gpu = raw.gpu === true || (rawProfiles?.includes(GPU_PROFILE) ?? false)
  if (gpu && type === 'vm') {
    warn(`${name}: gpu on a VM needs a PCI address; set gpu: true and gpu_pci by hand`)
    gpu = false
  }
  if (gpu) out.gpu = true
  if (raw.gui === true || rawProfiles?.includes(GUI_PROFILE)) {
    warn(`${name}: gui (Wayland/X11 display profile) has no equivalent; dropped`)
  }
  if (rawProfiles) {
    const profiles = rawProfiles.filter((p) => p !== GPU_PROFILE && p !== GUI_PROFILE)
    if (!(profiles.length === 1 && profiles[0] === 'default')) out.profiles = profiles
  }
  for (const key of ['roles', 'config', 'vars', 'weight'] as const) copy(key)
  if (raw.persistent !== undefined && raw.persistent !== null) {
    warn(
      `${name}: persistent (host bind mounts) was not applied by AnKLuMe either; add disk devices by hand if needed`,
    )
  }
  if (raw.workspace !== undefined && raw.workspace !== null) {
    warn(`${name}: workspace (desktop layout) has no equivalent; dropped`)
  }
  for (const key of Object.keys(raw)) {
    if (
      !(COPIED as readonly string[]).includes(key) &&
      !['ip', 'gpu', 'gui', 'profiles', 'persistent', 'workspace'].includes(key)
    ) {
      warn(`${name}: unknown key '${key}' (AnKLuMe ignored it too); dropped`)
    }
  }
  return [name, out]
}
