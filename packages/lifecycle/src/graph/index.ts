export * from './dot.js'
export * from './mermaid.js'
export * from './model.js'
export * from './svg.js'
