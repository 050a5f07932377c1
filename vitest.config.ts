import { defineConfig } from 'vitest/config'

// Source-first: packages resolve to src/ through the "@anklume/source" export
// condition, so tests never wait for a build.
const resolve = { conditions: ['@anklume/source'] }
const ssr = { resolve: { conditions: ['@anklume/source'] } }

export default defineConfig({
  resolve,
  ssr,
  test: {
    reporters: ['default', './tooling/test/summary-reporter.ts'],
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          // Property tests run hundreds of cases: room for a loaded 2-core machine.
          testTimeout: 30_000,
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tooling/test/**/*.test.ts'],
          globalSetup: ['tooling/test/incus-global-setup.ts'],
          // One daemon, two cores: integration files run one at a time.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
