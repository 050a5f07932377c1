export { AnklumeError, type AnklumeErrorOptions, errorCode, isAnklumeError } from './anklume-error.js'
