export * from './disp.js'
export * from './pause.js'
export * from './targets.js'
