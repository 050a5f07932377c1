import { NftError } from './errors.js'

/**
 * Our table lives next to Incus's own `inet incus` table; with the
 * xtables driver Incus's rules live in iptables instead and the two would
 * not compose predictably, so loading is refused.
 */
export function requireNftablesDriver(driver: string | undefined): void {
  if (driver === 'nftables') return
  throw new NftError(
    'ANKLUME_NFT_FIREWALL_DRIVER',
    `Incus uses the "${driver ?? 'unknown'}" firewall driver; the anklume isolation table needs "nftables"`,
    'Incus picks nftables when nft is installed and no legacy iptables rules are in use: install nftables, ' +
      'remove the iptables rules, restart Incus, then check `incus info | grep firewall`',
  )
}
