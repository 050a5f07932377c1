export { AnklumeError, type AnklumeErrorOptions, errorCode, isAnklumeError } from './anklume-error.js'
export {
  type AnklumeErrorCode,
  ERROR_CODES,
  type ErrorCodeInfo,
  type ExitClass,
  isAnklumeErrorCode,
} from './codes.js'
export { escapeControl } from './escape.js'
