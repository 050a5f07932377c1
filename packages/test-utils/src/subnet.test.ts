import type { ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeIncusd, fakeIncusd, reply, sync } from './fake-incusd.js'
import { freeBaseSubnet, usedBaseSubnets } from './subnet.js'

/** A fake daemon whose bridges hold `10.X.1.254/24` for each X, plus one unmanaged network. */
async function daemonWith(seconds: number[]): Promise<FakeIncusd> {
  const nets = [
    ...seconds.map((x) => ({ name: `br${x}`, config: { 'ipv4.address': `10.${x}.1.254/24` } })),
    { name: 'eth0', config: {} },
  ]
  return fakeIncusd((req, res: ServerResponse) => {
    if (req.url === '/1.0/networks?recursion=1') reply(res, 200, sync(nets))
    else reply(res, 404, { type: 'error', error_code: 404, error: 'not found' })
  })
}

let daemon: FakeIncusd | undefined
const saved = process.env.INCUS_SOCKET
afterEach(async () => {
  await daemon?.close()
  daemon = undefined
  if (saved === undefined) delete process.env.INCUS_SOCKET
  else process.env.INCUS_SOCKET = saved
})

async function use(seconds: number[]): Promise<void> {
  daemon = await daemonWith(seconds)
  process.env.INCUS_SOCKET = daemon.socketPath
}

const range = Array.from({ length: 50 }, (_, i) => 200 + i)

describe('freeBaseSubnet', () => {
  it("counts the daemon's bridges as used", async () => {
    await use([201, 230])
    const used = await usedBaseSubnets()
    expect(used.has('10.201')).toBe(true)
    expect(used.has('10.230')).toBe(true)
  })

  it('picks a base in 10.200-10.249 that no bridge uses, never 10.255', async () => {
    await use(range.filter((x) => x % 2 === 0))
    for (let i = 0; i < 20; i++) {
      const base = await freeBaseSubnet()
      expect(base).toMatch(/^10\.2[0-4]\d$/)
      expect(Number(base.split('.')[1]) % 2).toBe(1)
    }
  })

  it('fails clearly when every base is taken', async () => {
    await use(range)
    await expect(freeBaseSubnet()).rejects.toThrow('no free test subnet in 10.200-10.249')
  })
})
