import { mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { removeBareBridge } from './bare-bridge.js'

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
    const opts = { sysClassNet: root, deleteLink: async (n: string) => void deleted.push(n) }
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
    await expect(removeBareBridge('net-a', { sysClassNet: root, deleteLink })).rejects.toThrow(
      /not permitted/,
    )
  })
})
