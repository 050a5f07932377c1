export { type AtomicWriteOptions, writeFileAtomic } from './atomic-write.js'
export { ToolError } from './errors.js'
export { CUSTOM_VARS_NOTICE, MANAGED_BEGIN, MANAGED_END, managedBlock, mergeManaged } from './managed.js'
export { findInventoryOrphans, type InventoryOrphan } from './orphans.js'
export { type InventoryRenderOptions, inventoryWarnings, renderInventory } from './render.js'
export {
  type InventoryFileStatus,
  type InventorySyncOptions,
  type InventorySyncReport,
  syncInventory,
} from './sync.js'
