#!/usr/bin/env node
/**
 * Writes docs/errors.md from the code table of @anklume/errors
 * (packages/errors/src/codes.ts), so the list never drifts from the code; a
 * unit test (packages/errors/src/doc.test.ts) fails when they disagree.
 * Run after `pnpm build` (or `pnpm --filter @anklume/errors build`):
 *   node tooling/gen-errors-doc.mjs
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { renderErrorsDoc } from '../packages/errors/dist/doc.js'
import { ERROR_CODES } from '../packages/errors/dist/index.js'

writeFileSync(fileURLToPath(new URL('../docs/errors.md', import.meta.url)), renderErrorsDoc())
console.log(`docs/errors.md: ${Object.keys(ERROR_CODES).length} codes`)
