export { type ImportOptions, type ImportResult, importFromObserved } from './convert.js'
export { importIncus, renderImported } from './render.js'
