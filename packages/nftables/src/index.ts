export * from './acls.js'
export * from './diff.js'
export * from './errors.js'
export * from './evaluate.js'
export * from './generate.js'
export type * from './ir.js'
export * from './model.js'
export type * from './model-types.js'
export { sanitizeComment } from './names.js'
export {
  type LiveIsolationTable,
  liveIsolationTables,
  ownerComment,
  ownerToken,
  tableOf,
} from './owner.js'
export type { NftJson } from './render-json.js'
