import { defineConfig } from 'vitest/config'

const conditions = ['@anklume/source']
export default defineConfig({
  root: '/work/main',
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/nftables/test/**/*.test.ts'],
    globalSetup: ['tooling/test/incus-global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
})
