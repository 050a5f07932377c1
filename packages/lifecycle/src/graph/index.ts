export { renderDot } from './dot.js'
export { renderMermaid } from './mermaid.js'
export {
  buildGraph,
  type GraphCluster,
  type GraphEdge,
  type GraphEndpoint,
  type InfraGraph,
} from './model.js'
export { dotToSvg, type SvgOptions } from './svg.js'
