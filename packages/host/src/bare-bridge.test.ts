import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { removeBareBridge, stopOrphanDnsmasq } from './bare-bridge.js'

async function sysfs(layout: Record<string, string[] | 'not-a-bridge'>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sysnet-'))
  for (const [name, ports] of Object.entries(layout)) {
    await mkdir(join(root, name), { recursive: true })
    if (ports === 'not-a-bridge') continue
    await mkdir(join(root, name, 'brif'))
    for (const p of ports) await mkdir(join(root, name, 'brif', p))
  }
  return root
}

describe('removeBareBridge', () => {
  it('removes an unused bridge, and only that', async () => {
    const root = await sysfs({ 'net-a': [], 'net-b': ['veth1'], eth9: 'not-a-bridge' })
    const deleted: string[] = []
    const procDir = await mkdtemp(join(tmpdir(), 'proc-'))
    const opts = { sysClassNet: root, procDir, deleteLink: async (n: string) => void deleted.push(n) }
    expect(await removeBareBridge('net-a', opts)).toBe('removed')
    expect(await removeBareBridge('net-b', opts)).toBe('kept')
    expect(await removeBareBridge('eth9', opts)).toBe('kept')
    expect(await removeBareBridge('net-z', opts)).toBe('absent')
    expect(await removeBareBridge('../etc', opts)).toBe('kept')
    expect(deleted).toEqual(['net-a'])
  })

  it('reports a failed delete (e.g. not root)', async () => {
    const root = await sysfs({ 'net-a': [] })
    const deleteLink = () => Promise.reject(new Error('RTNETLINK answers: Operation not permitted'))
    const procDir = await mkdtemp(join(tmpdir(), 'proc-'))
    await expect(removeBareBridge('net-a', { sysClassNet: root, procDir, deleteLink })).rejects.toThrow(
      /not permitted/,
    )
  })
})

describe('stopOrphanDnsmasq', () => {
  async function proc(cmdlines: Record<string, string[]>): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'proc-'))
    for (const [pid, args] of Object.entries(cmdlines)) {
      await mkdir(join(root, pid))
      await writeFile(join(root, pid, 'cmdline'), `${args.join('\0')}\0`)
    }
    await mkdir(join(root, 'self'))
    return root
  }

  it('stops only the dnsmasq serving exactly this interface, when the bridge is gone or removed', async () => {
    const procDir = await proc({
      '101': ['dnsmasq', '--keep-in-foreground', '--interface=net-a', '--listen-address=10.9.1.254'],
      '102': ['dnsmasq', '--interface=net-ab'],
      '103': ['/usr/sbin/dnsmasq', '--interface=net-b'],
      '104': ['sleep', '--interface=net-a'],
    })
    const killed: number[] = []
    const kill = (pid: number) => void killed.push(pid)
    expect(await stopOrphanDnsmasq('net-a', { procDir, kill })).toEqual([101])
    const sysClassNet = await sysfs({ 'net-b': [] })
    const opts = { sysClassNet, procDir, kill, deleteLink: async () => undefined }
    expect(await removeBareBridge('net-b', opts)).toBe('removed')
    expect(await removeBareBridge('net-a', opts)).toBe('absent')
    expect(killed).toEqual([101, 103, 101])
  })
})
