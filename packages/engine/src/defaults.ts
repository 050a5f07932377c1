/**
 * Engine defaults, importable alone as `@anklume/engine/defaults` (no
 * dependencies) so the CLI can show them in its help without loading the engine.
 */

/** How many Incus calls (apply actions, flush deletes, snapshot and pause operations) run at once by default. */
export const DEFAULT_CONCURRENCY = 8

/** How many images are pulled or exported at once by default. */
export const DEFAULT_IMAGE_CONCURRENCY = 4
