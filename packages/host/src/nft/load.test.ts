import { spawnSync } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyRuleset } from './apply.js'
import { bridgesNotHereWarning, brNetfilterWarning, forwardPolicyWarnings } from './host-checks.js'
import { checkRuleset, type NftListing } from './load.js'

const good = {
  model: { table: 'anklume' },
  text: 'table inet anklume {\n\tchain forward {\n\t\ttype filter hook forward priority filter - 10; policy accept;\n\t}\n}\n',
}

describe('nft I/O (inside throwaway network namespaces)', () => {
  it('checks a ruleset with nft -c and reports nft errors with a stable code', async () => {
    await expect(checkRuleset(good.text, { netns: true })).resolves.toBeUndefined()
    await expect(checkRuleset('table inet x { chain y { fwd } }\n', { netns: true })).rejects.toMatchObject({
      code: 'ANKLUME_NFT_CHECK_FAILED',
      message: expect.stringContaining('syntax error'),
    })
  })

  it('refuses to load unless Incus uses the nftables firewall driver', async () => {
    await expect(applyRuleset(good, { firewallDriver: 'xtables', netns: true })).rejects.toMatchObject({
      code: 'ANKLUME_NFT_FIREWALL_DRIVER',
      message: 'Incus uses the "xtables" firewall driver; the anklume isolation table needs "nftables"',
    })
    const sysctl = await mkdtemp(join(tmpdir(), 'anklume-br-'))
    try {
      const r = await applyRuleset(good, { firewallDriver: 'nftables', netns: true, bridgeSysctlDir: sysctl })
      expect(r).toEqual({ table: 'anklume', warnings: [] })
    } finally {
      await rm(sysctl, { recursive: true })
    }
  })

  it('warns about br_netfilter only when its sysctls exist', async () => {
    const sysctl = await mkdtemp(join(tmpdir(), 'anklume-br-'))
    try {
      expect(await brNetfilterWarning(sysctl)).toBeUndefined()
      await writeFile(join(sysctl, 'bridge-nf-call-iptables'), '1\n')
      expect(await brNetfilterWarning(sysctl)).toMatchObject({
        code: 'BR_NETFILTER',
        message: expect.stringContaining('bridge-nf-call-iptables=1'),
      })
    } finally {
      await rm(sysctl, { recursive: true })
    }
  })

  it('spots Docker/ufw style forward drop policies in a real nft listing', async () => {
    const dockerish = [
      'table ip filter {',
      '\tchain FORWARD { type filter hook forward priority filter; policy drop; }',
      '\tchain DOCKER-USER { }',
      '\tchain ufw-before-forward { }',
      '}',
      'table inet anklume {',
      '\tchain forward { type filter hook forward priority filter - 10; policy drop; }',
      '}',
      'table inet incus {',
      '\tchain fwd_a { type filter hook forward priority filter; policy drop; }',
      '}',
      '',
    ].join('\n')
    const dir = await mkdtemp(join(tmpdir(), 'anklume-fw-'))
    const file = join(dir, 'fw.nft')
    await writeFile(file, dockerish)
    const ns = spawnSync('unshare', ['-n', 'sh', '-c', `nft -f ${file} && nft -j list ruleset`], {
      encoding: 'utf8',
    })
    await rm(dir, { recursive: true })
    expect(ns.stderr).toBe('')
    const listing = JSON.parse(ns.stdout) as NftListing
    expect(forwardPolicyWarnings(listing, 'anklume').map((w) => [w.code, w.message])).toEqual([
      [
        'FORWARD_POLICY_DROP',
        'table ip filter chain FORWARD drops forwarded traffic by default: flows a policy allows may still be dropped there',
      ],
      [
        'DOCKER_CHAINS',
        'Docker firewall chains are present: Docker may drop forwarded traffic between Incus bridges',
      ],
      ['UFW_CHAINS', 'ufw chains are present: ufw may drop forwarded traffic or instance DHCP/DNS'],
    ])
  })

  it('warns when none of the domain bridges exist in this network namespace', async () => {
    const sys = await mkdtemp(join(tmpdir(), 'anklume-sysnet-'))
    try {
      expect(await bridgesNotHereWarning([], sys)).toBeUndefined()
      const w = await bridgesNotHereWarning(['net-a', 'net-b'], sys)
      expect(w?.message).toBe(
        'none of the 2 domain bridges (net-a, net-b) exist in this network namespace: the table only filters traffic here',
      )
      await writeFile(join(sys, 'net-b'), '')
      expect(await bridgesNotHereWarning(['net-a', 'net-b'], sys)).toBeUndefined()
    } finally {
      await rm(sys, { recursive: true })
    }
  })

  it('maps nft run without privileges to ANKLUME_NFT_NOT_ROOT with the command to run', async () => {
    // The real nft, as user nobody: the kernel answers "Operation not permitted".
    const dir = await mkdtemp(join(tmpdir(), 'anklume-nobody-'))
    try {
      const wrapper = join(dir, 'nft-as-nobody')
      await writeFile(
        wrapper,
        '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups nft "$@"\n',
      )
      await chmod(wrapper, 0o755)
      await chmod(dir, 0o755)
      await expect(checkRuleset(good.text, { nft: wrapper })).rejects.toMatchObject({
        code: 'ANKLUME_NFT_NOT_ROOT',
        hint: 'run it as root, e.g.: sudo anklume nft apply',
      })
    } finally {
      await rm(dir, { recursive: true })
    }
  })
})
