import { existsSync } from 'node:fs'
import { request } from 'node:http'
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

function defaultSocket(): string {
  if (process.env.INCUS_SOCKET) return process.env.INCUS_SOCKET
  if (process.env.INCUS_DIR) return `${process.env.INCUS_DIR}/unix.socket`
  if (existsSync('/run/incus/unix.socket')) return '/run/incus/unix.socket'
  return '/var/lib/incus/unix.socket'
}

/**
 * `GET /1.0` → `environment.firewall` over the local unix socket. A stop-gap
 * for callers without an Incus client at hand; `applyRuleset` takes the
 * driver string, so a caller holding a client passes it directly.
 */
export function readIncusFirewallDriver(socketPath: string = defaultSocket()): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method: 'GET', path: '/1.0' }, (res) => {
      let data = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        data += c
      })
      res.on('end', () => {
        try {
          const body = JSON.parse(data) as { metadata?: { environment?: { firewall?: string } } }
          resolve(body.metadata?.environment?.firewall)
        } catch (e) {
          reject(e)
        }
      })
    })
    req.on('error', (err) =>
      reject(
        new NftError(
          'INCUS_UNREACHABLE',
          `cannot ask Incus for its firewall driver on ${socketPath}: ${err.message}`,
          'is incusd running? pass --socket, or set INCUS_SOCKET',
        ),
      ),
    )
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: GET /1.0 on ${socketPath}`)))
    req.end()
  })
}
