export { ZONE_STEPS } from './addressing.js'
export { makeDomain, makeGlobal, makeInfra, makeMachine } from './builders.js'
export { cronError } from './cron.js'
export { MAX_ISSUES_IN_MESSAGE, SchemaError, type SchemaErrorCode } from './errors.js'
export { escapeControl } from './escape.js'
export { FIREWALL_HOST, FIREWALL_MACHINE, FIREWALL_PROFILE } from './firewall-vm.js'
export { type FormatIssueOptions, formatIssue, issueLocation, sourceExcerpt } from './format.js'
export { durationError, incusTrue, NFT_TABLE_RE, NFT_TABLE_RULE, toIncusExpiry } from './formats.js'
export { hostAccessGrants } from './host-access.js'
export {
  formatIpv4,
  hostNumber,
  ipv4ToInt,
  isPrivateBaseSubnet,
  networkPrefix,
  parseIpv4,
  subnetOf,
} from './ipv4.js'
export { defaultIsolationTable, LEGACY_ISOLATION_TABLE } from './isolation-table.js'
export { INFRA_SCHEMA_ID, infraJsonSchema, SCHEMA_FILE, SCHEMA_MODELINE } from './json-schema.js'
export {
  DHCP_FIRST,
  DHCP_LAST,
  type DomainNet,
  dhcpRange,
  domainNet,
  GATEWAY_HOST,
  gatewayOf,
  MAX_SUBNET_ID,
  STATIC_LAST,
} from './layout.js'
export { type LoadOptions, load, loadFromString, loadOrThrow } from './load.js'
export * from './naming.js'
export { CONTEXT_DIR, childContext, loadContextOf, type NestingContext, namingLevel } from './nesting.js'
export type * from './types.js'
export { SCHEMA_VERSION } from './validate.js'
