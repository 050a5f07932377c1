/**
 * Fixture directories that the tests of several packages read, named once
 * here instead of by `../../../<other package>/…` paths in each test.
 */
import { fileURLToPath } from 'node:url'

/** Real infra files (AnKLuMe corpus and known-invalid ones), with a trailing slash. */
export const CORPUS_DIR = fileURLToPath(new URL('../../schema/test/fixtures/corpus/', import.meta.url))

/** An AnKLuMe (Python) project to migrate, as `anklume migrate` reads it. */
export const WORKSTATION_DIR = fileURLToPath(
  new URL('../../convert/test/fixtures/migrate/workstation', import.meta.url),
)
