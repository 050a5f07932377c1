/** @anklume/convert: an infra file in, other files out (explicit export list). */
export { renderDot } from './graph/dot.js'
export { renderMermaid } from './graph/mermaid.js'
export {
  buildGraph,
  type GraphCluster,
  type GraphEdge,
  type GraphEndpoint,
  type InfraGraph,
  TRUST_COLORS,
} from './graph/model.js'
export { dotToSvg, type SvgOptions } from './graph/svg.js'
export {
  type InventoryCleanOptions,
  type InventoryCleanReport,
  removeGeneratedInventory,
  withoutManaged,
} from './inventory/clean.js'
export { ANSIBLE_INCUS_CONNECTION, type ConnectionOptions } from './inventory/group-vars.js'
export {
  CUSTOM_VARS_NOTICE,
  MANAGED_BEGIN,
  MANAGED_END,
  managedBlock,
  mergeManaged,
} from './inventory/managed.js'
export { findInventoryOrphans, type InventoryOrphan } from './inventory/orphans.js'
export { type InventoryRenderOptions, inventoryWarnings, renderInventory } from './inventory/render.js'
export {
  type InventoryFileStatus,
  type InventorySyncOptions,
  type InventorySyncReport,
  syncInventory,
} from './inventory/sync.js'
export {
  convertProject,
  MIGRATE_KNOWN_SCHEMA_VERSION,
  type MigrateOptions,
  type MigrateResult,
} from './migrate/convert.js'
export { type PythonProject, readPythonProject } from './migrate/read-project.js'
export { migrateProject, renderMigrated } from './migrate/write.js'
