export * from './naming.js'
export type * from './types.js'
