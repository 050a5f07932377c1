/** Infra builders, re-exported from @anklume/schema where they now live. */
export { makeDomain, makeGlobal, makeInfra, makeMachine } from '@anklume/schema'
export { type Auxiliary, auxiliary, type DesiredAcl, type DesiredZone } from './auxiliary.js'
export { serverFilled } from './compare.js'
export { type DesiredOptions, defaultProfileDescription, desired } from './desired.js'
export type * from './desired-types.js'
export { type DiffOptions, diff } from './diff.js'
export { type IsolationInput, tableDifference } from './diff-isolation.js'
export { actionLabel, type FormatOptions, formatChange, formatPlan, summaryLine } from './format.js'
export { KNOWN_REMOTES, parseImage } from './image-source.js'
export {
  LABEL_CONTEXT,
  LABEL_DOMAIN,
  LABEL_IMAGE,
  LABEL_MANAGED,
  LABEL_PROJECT,
  LABEL_TRUST,
} from './labels.js'
export type * from './observed.js'
export { emptyObserved } from './observed.js'
export { isBeside } from './order.js'
export { type Conflict, checkSubnetOverlap, type HostNetworkFacts } from './overlap.js'
export {
  type ClusterInput,
  clusterInput,
  type DomainDefault,
  defaultMembers,
  domainMember,
  fnv1a,
  type InstancePlacement,
  memberNames,
  placeInstance,
  placementProblem,
  TUNNEL_NAME,
  tunnelConfig,
  tunnelGroup,
  tunnelIds,
} from './placement.js'
export type * from './plan-types.js'
export { actionId } from './plan-types.js'
export { type Allocation, type AllocationRow, allocateResources, type HostResources } from './resources.js'
export { type DomainStatus, type InstanceStatus, missingParts, protectionDrift, statusOf } from './status.js'
