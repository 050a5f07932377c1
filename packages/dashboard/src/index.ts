/**
 * @anklume/dashboard: the live web dashboard and the tmux console of an
 * infra (explicit export list). Usable without the CLI.
 */
export {
  ActionRefused,
  type ActionRequest,
  type ActionResult,
  isMachineAction,
  MACHINE_ACTIONS,
  type MachineAction,
  managedInstance,
  runAction,
} from './actions.js'
export {
  type ConsoleDomain,
  type ConsoleOptions,
  consolePlan,
  paneCommand,
  type RunConsoleOptions,
  renderTmux,
  runConsole,
  sessionExists,
  shQuote,
} from './console.js'
export { type EventsStatus, type LiveOptions, type LiveSnapshot, LiveState } from './live.js'
export {
  allowedHostsFor,
  checkListenAddress,
  isLoopback,
  newToken,
  sameOrigin,
  TOKEN_COOKIE,
  tokenMatches,
  tokenOf,
} from './security.js'
export { type Dashboard, type DashboardOptions, defaultWebDir, startDashboard } from './server.js'
export {
  type DashboardState,
  type DomainView,
  type DriftView,
  dashboardState,
  domainsOf,
  driftNow,
  driftOf,
  isManaged,
  type MachineView,
  type StateOptions,
} from './state.js'
export { TRUST_LEVELS, textOn, trustColour } from './trust.js'
