import { defineConfig } from 'vitest/config'

const conditions = ['@anklume/source']
export default defineConfig({
  root: '/work/main',
  resolve: { conditions, alias: { '@anklume/lifecycle': '/tmp/lifecycle-shim.ts' } },
  ssr: { resolve: { conditions } },
  test: {
    include: [
      'packages/nftables/src/**/*.test.ts',
      'packages/lifecycle/src/nft/**/*.test.ts',
      'apps/cli/src/commands/nft.test.ts',
    ],
  },
})
