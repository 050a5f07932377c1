import type { Infra, NamingOptions } from '@anklume/schema'
import { sharedVolumeDevices } from './compat-devices.js'
import { allVars, type ConnectionOptions, domainVars, inventoryVars } from './group-vars.js'
import { hostVars, skippedVars } from './host-vars.js'
import { toAnsibleYaml } from './yaml-out.js'

export interface InventoryRenderOptions extends ConnectionOptions {
  /** Nesting level for the `NNN-` name prefix (global.nesting_prefix); 1 when absent. */
  level?: number
}

function naming(infra: Infra, opts: InventoryRenderOptions): NamingOptions {
  return { nestingPrefix: infra.global.nestingPrefix, level: opts.level ?? 1 }
}

/**
 * The managed YAML of every generated file, keyed by path relative to the
 * Ansible tree (`inventory/<d>.yml`, `group_vars/all.yml`,
 * `group_vars/<d>.yml`, `host_vars/<m>.yml`). Disabled domains get no files
 * (as with AnKLuMe), but their files are not orphans either.
 */
export function renderInventory(infra: Infra, opts: InventoryRenderOptions = {}): Map<string, string> {
  const n = naming(infra, opts)
  const shared = sharedVolumeDevices(infra)
  const files = new Map<string, string>()
  files.set('group_vars/all.yml', toAnsibleYaml(allVars(infra)))
  for (const d of infra.domains) {
    if (!d.enabled) continue
    files.set(`inventory/${d.name}.yml`, toAnsibleYaml(inventoryVars(d, n, opts)))
    files.set(`group_vars/${d.name}.yml`, toAnsibleYaml(domainVars(d, n)))
    for (const m of d.machines) {
      files.set(`host_vars/${m.name}.yml`, toAnsibleYaml(hostVars(m, d, n, shared.get(m.name))))
    }
  }
  return files
}

/** Things the inventory leaves out on purpose, to tell the user. */
export function inventoryWarnings(infra: Infra): string[] {
  return infra.domains.filter((d) => d.enabled).flatMap((d) => d.machines.flatMap(skippedVars))
}
