export * from './evaluate.js'
export * from './gather.js'
export * from './types.js'
