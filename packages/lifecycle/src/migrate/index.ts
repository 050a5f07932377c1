export * from './addressing.js'
export * from './convert.js'
export * from './read-project.js'
export * from './write.js'
