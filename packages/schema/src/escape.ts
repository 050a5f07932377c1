/** The escaping helper lives in @anklume/errors (the CLI prints with it too); schema re-exports it. */
export { escapeControl } from '@anklume/errors'
