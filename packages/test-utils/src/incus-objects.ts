/**
 * Just enough Incus for the isolation proofs (nftables table, network ACLs),
 * over the raw helper (incus-raw.ts): bridges without NAT, projects with a
 * filled default profile, busybox containers with a static IP, and exec with
 * exit codes.
 */
import { raw, rawWait } from './incus-raw.js'

const q = (project: string) => `?project=${encodeURIComponent(project)}`

async function ok(what: string, p: Promise<Awaited<ReturnType<typeof raw>>>): Promise<unknown> {
  const res = await p
  const op = res.body.metadata as { status?: string; err?: string } | undefined
  if (res.status >= 400 || (op?.status && op.status !== 'Success') || op?.err) {
    throw new Error(`${what}: HTTP ${res.status} ${res.body.error ?? op?.err ?? ''}`)
  }
  return res.body.metadata
}

/**
 * A managed bridge as apply creates it (incus-mapping.md), without NAT.
 * Incus 6.0 sometimes fails a bridge operation with "Failed to delete bridge
 * children interfaces" when other runs' veths vanish meanwhile (testing.md):
 * re-read, and retry when the bridge is really not there.
 */
export async function createBridge(name: string, prefix3: string): Promise<void> {
  const body = {
    name,
    type: 'bridge',
    config: {
      'ipv4.address': `${prefix3}.254/24`,
      'ipv4.nat': 'false',
      'ipv4.dhcp.ranges': `${prefix3}.100-${prefix3}.249`,
      'ipv6.address': 'none',
    },
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await ok(`create bridge ${name}`, rawWait('POST', '/1.0/networks', body))
      return
    } catch (err) {
      const now = await raw('GET', `/1.0/networks/${name}`)
      if (now.status === 200 && (now.body.metadata as { status?: string }).status === 'Created') return
      if (now.status === 200) await rawWait('DELETE', `/1.0/networks/${name}`)
      if (attempt === 3 || !/bridge children interfaces/.test(String(err))) throw err
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
}

export async function createProject(name: string, bridge: string): Promise<void> {
  await ok(
    `create project ${name}`,
    rawWait('POST', '/1.0/projects', {
      name,
      config: {
        'features.profiles': 'true',
        'features.networks': 'false',
        'features.images': 'false',
        'features.storage.volumes': 'true',
      },
    }),
  )
  await ok(
    `default profile of ${name}`,
    rawWait('PATCH', `/1.0/profiles/default${q(name)}`, {
      devices: {
        root: { type: 'disk', path: '/', pool: 'default' },
        eth0: { type: 'nic', network: bridge, name: 'eth0' },
      },
    }),
  )
}

export async function launch(project: string, name: string, bridge: string, ip: string): Promise<void> {
  await ok(
    `launch ${name}`,
    rawWait('POST', `/1.0/instances${q(project)}`, {
      name,
      type: 'container',
      start: true,
      source: { type: 'image', alias: 'anklume-test/busybox' },
      devices: { eth0: { type: 'nic', network: bridge, name: 'eth0', 'ipv4.address': ip } },
    }),
  )
}

/** Runs `sh -c cmd` in the instance and returns its exit code. */
export async function exec(project: string, name: string, cmd: string): Promise<number> {
  const meta = (await ok(
    `exec in ${name}`,
    rawWait('POST', `/1.0/instances/${name}/exec${q(project)}`, {
      command: ['/bin/sh', '-c', cmd],
      'wait-for-websocket': false,
      'record-output': false,
      interactive: false,
    }),
  )) as { metadata?: { return?: number } }
  return meta.metadata?.return ?? -1
}

/** Polls until udhcpc has put the reserved address on eth0. */
export async function waitForIp(
  project: string,
  name: string,
  ip: string,
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if ((await exec(project, name, `ip -4 addr show eth0 | grep -q 'inet ${ip}/'`)) === 0) return
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`${name} did not get ${ip} on eth0 within ${timeoutMs} ms`)
}

/** A TCP connection from the instance to ip:port succeeds (busybox nc, 3 s connect timeout). */
export async function canConnect(project: string, name: string, ip: string, port: number): Promise<boolean> {
  return (await exec(project, name, `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} ${port}`)) === 0
}

/** One ICMP echo from the instance gets an answer within 2 s (busybox ping). */
export async function canPing(project: string, name: string, ip: string): Promise<boolean> {
  return (await exec(project, name, `ping -c 1 -W 2 ${ip}`)) === 0
}

export async function deleteInstance(project: string, name: string): Promise<void> {
  await rawWait('PUT', `/1.0/instances/${name}/state${q(project)}`, { action: 'stop', force: true })
  await rawWait('DELETE', `/1.0/instances/${name}${q(project)}`)
}

export async function deleteProject(name: string): Promise<void> {
  await rawWait('DELETE', `/1.0/projects/${name}?force=true`)
}

/** Deletes a bridge, re-reading and retrying once on the spurious failure (testing.md). */
export async function deleteNetwork(name: string): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await rawWait('DELETE', `/1.0/networks/${name}`)
    if ((await raw('GET', `/1.0/networks/${name}`)).status === 404) return
    await new Promise((r) => setTimeout(r, 1000))
  }
}
