import pkg from '../../package.json' with { type: 'json' }

/** The CLI's version (its package.json, inlined by the bundler). */
export function version(): string {
  return pkg.version
}
