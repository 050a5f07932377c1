/** @anklume/host: what anklume does on this machine's kernel and files (explicit export list). */
export {
  ANSIBLE_INCUS_PLUGIN,
  type AnsibleFacts,
  type AnsibleProbeOptions,
  readAnsibleFacts,
} from './ansible.js'
export { type AtomicWriteOptions, writeFileAtomic } from './atomic-write.js'
export {
  type BareBridgeOptions,
  type BareBridgeResult,
  removeBareBridge,
  stopOrphanDnsmasq,
} from './bare-bridge.js'
export { contextDir, readNestingContext } from './context.js'
export {
  type AcquireOptions,
  acquireLock,
  DEFAULT_LOCK_TARGET,
  type Lock,
  LockError,
  lockName,
} from './lock.js'
export { type HostNetwork, parseProcRoutes, parseResolvConf, readHostNetwork } from './network.js'
export { type ApplyRulesetOptions, type ApplyRulesetResult, applyRuleset, requireRoot } from './nft/apply.js'
export { requireNftablesDriver } from './nft/driver.js'
export { NftError, type NftErrorCode } from './nft/errors.js'
export {
  bridgesNotHereWarning,
  brNetfilterWarning,
  forwardPolicyWarnings,
  type HostWarning,
} from './nft/host-checks.js'
export { type InstallRulesetOptions, type InstallRulesetResult, installRuleset } from './nft/install.js'
export {
  checkRuleset,
  deleteTable,
  listRuleset,
  listTable,
  loadRuleset,
  type NftListing,
} from './nft/load.js'
export { isPermissionError, type NftResult, type RunNftOptions, runNft } from './nft/run.js'
