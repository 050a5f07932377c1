/**
 * @anklume/engine: everything that needs an Incus client (explicit export
 * list; internals stay internal).
 */
export {
  type ApplyOptions,
  type ApplyResult,
  applyInfra,
  type InfraPlan,
  OverlapError,
  offlineNote,
  type PlanInfraOptions,
  planInfra,
  poolsOf,
  ResourcePolicyError,
} from './apply/apply.js'
export {
  checkPlacements,
  clusterIsolation,
  lockTarget,
  PlacementError,
  resolvePool,
  StoragePoolError,
} from './apply/cluster.js'
export { type ExecuteEvent, type ExecuteOptions, type ExecuteResult, executePlan } from './apply/execute.js'
export {
  type Coexistence,
  coexistence,
  isolationInputs,
  TableOwnedError,
} from './apply/isolation.js'
export { normaliseInstance, type ObserveOptions, observe, observeCluster } from './apply/observe.js'
export { applySucceeded, nftFailed } from './apply/outcome.js'
export {
  canonicalJson,
  checkSavedPlan,
  checkSavedSources,
  observedFingerprint,
  PLAN_FILE_FORMAT,
  PLAN_FILE_VERSION,
  parseSavedPlan,
  type SavedPlan,
  type SavedPlanOptions,
  savedPlan,
} from './apply/saved-plan.js'
export { describeTable, type Isolation, readIsolation, type TableState } from './apply/table-state.js'
export { DEFAULT_CONCURRENCY, DEFAULT_IMAGE_CONCURRENCY } from './defaults.js'
export { ANKLUME_EXTENSIONS, doctorFailed, evaluateDoctor } from './doctor/evaluate.js'
export { type GatherOptions, gatherDoctorFacts } from './doctor/gather.js'
export type {
  DoctorFacts,
  Finding,
  FindingStatus,
  IncusFacts,
  MemberFacts,
  Probe,
} from './doctor/types.js'
export { describePlan, type FlushItem, type FlushKind } from './flush/execute.js'
export {
  checkFlushAllowed,
  type FlushOptions,
  type FlushReport,
  flush,
  flushTable,
  type InventoryCleaner,
  inventoryItems,
  prepareFlush,
  runFlush,
} from './flush/flush.js'
export { isProductionHost, productionGuard } from './flush/guard.js'
export { type FlushPlan, type FlushRef, type FlushScope, planFlush } from './flush/plan.js'
export { checkDomainFound, type FlushTarget, flushLabel, flushTarget } from './flush/scope.js'
export { existingTable, existingTables, type FlushTable, tableVerdict } from './flush/table.js'
export type { ImageEvent, ImageOutcome, ImageRunOptions, ImageStatus } from './images/events.js'
export { type ExportOptions, type ExportResult, exportImages } from './images/export.js'
export { importImages } from './images/import-dir.js'
export { type PullOptions, pullImages } from './images/pull.js'
export { findCached, type ImageRef, imageRef, imagesOfInfra } from './images/resolve.js'
export { type ImageIndex, type ImageIndexEntry, INDEX_FILE, readIndex } from './images/store.js'
export { type ImportOptions, type ImportResult, importFromObserved } from './import/convert.js'
export { importIncus, renderImported } from './import/render.js'
export {
  checkDispProject,
  DEFAULT_DISP_IMAGE,
  type DispInstance,
  type DispOptions,
  type DispRunResult,
  dispName,
  domainProject,
  LABEL_DISPOSABLE,
  runDisposable,
  startDisposable,
  stopDisposable,
} from './instances/disp.js'
export { type PauseOptions, type PauseResult, setPaused } from './instances/pause.js'
export {
  type PowerAction,
  type PowerOptions,
  type PowerResult,
  setPower,
} from './instances/power.js'
export { type InfraNames, infraScope, projectOfDomain, selectInstances } from './instances/select.js'
export {
  findInstance,
  type InstanceRef,
  parseTarget,
  type ResolveOptions,
  resolveTargets,
  TARGET_ERROR_CODES,
  type TargetSpec,
} from './instances/targets.js'
export { defaultSnapshotName, expiryOf } from './snapshots/names.js'
export {
  createSnapshots,
  deleteSnapshots,
  isSelf,
  listSnapshots,
  restoreSnapshots,
  type SnapshotOpResult,
  type SnapshotOptions,
  type SnapshotRow,
} from './snapshots/snapshots.js'
export { infraStatus } from './status/status.js'
