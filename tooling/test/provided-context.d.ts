// Values the integration global setup provides to every test file (see incus-global-setup.ts).
import 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Per-run name prefix, e.g. `t3f9a`: every Incus object a test creates starts with it. */
    incusPrefix: string
  }
}
