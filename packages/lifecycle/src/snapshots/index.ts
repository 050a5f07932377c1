export * from './names.js'
export * from './snapshots.js'
