export * from './nesting-context.js'
