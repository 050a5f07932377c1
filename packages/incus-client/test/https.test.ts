/**
 * The HTTPS path: the daemon listens on 127.0.0.1:<free port> (unless
 * core.https_address is already set, which is then used and left alone), a
 * client certificate made here is trusted for the test, and the client
 * connects with the server certificate pinned.
 */
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../src/index.js'
import { client, prefix } from './helpers.js'

const local = client()
const tmp = mkdtempSync(join(tmpdir(), 'incus-client-tls-'))
let previous: string | undefined
let url: string
let serverCert: string
let trusted: { cert: string; key: string; fingerprint: string }
let stranger: { cert: string; key: string }

function makeCert(name: string): { cert: string; key: string; fingerprint: string } {
  const key = join(tmp, `${name}.key`)
  const cert = join(tmp, `${name}.crt`)
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:secp384r1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
    ],
    { stdio: 'ignore' },
  )
  const pem = readFileSync(cert, 'utf8')
  return {
    cert: pem,
    key: readFileSync(key, 'utf8'),
    fingerprint: new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase(),
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}

beforeAll(async () => {
  const info = await local.server()
  serverCert = info.environment?.certificate ?? ''
  previous = info.config?.['core.https_address']
  if (previous) {
    const port = previous.slice(previous.lastIndexOf(':') + 1) || '8443'
    url = `https://127.0.0.1:${port}`
  } else {
    const port = await freePort()
    await local.request('PATCH', '/1.0', { body: { config: { 'core.https_address': `127.0.0.1:${port}` } } })
    url = `https://127.0.0.1:${port}`
  }
  trusted = makeCert(`${prefix}-client`)
  stranger = makeCert(`${prefix}-stranger`)
  const der = new X509Certificate(trusted.cert).raw.toString('base64')
  await local.request('POST', '/1.0/certificates', {
    body: { type: 'client', name: `${prefix}-client`, certificate: der },
  })
})

afterAll(async () => {
  await local.request('DELETE', `/1.0/certificates/${trusted?.fingerprint}`).catch(() => undefined)
  if (!previous) {
    await local.request('PATCH', '/1.0', { body: { config: { 'core.https_address': '' } } })
  }
  rmSync(tmp, { recursive: true, force: true })
  await local.close()
})

describe('HTTPS remote', () => {
  it('connects with a trusted client certificate and a pinned server certificate', async () => {
    const remote = createClient({ remote: { url, cert: trusted.cert, key: trusted.key, serverCert } })
    try {
      const info = await remote.server()
      expect(info.auth).toBe('trusted')
      expect(info.api_extensions).toContain('instance_all_projects')
      const projects = await remote.projects.list()
      expect(projects.map((p) => p.name)).toContain('default')
      expect(remote.target).toBe(url)
      expect(remote.stats.requests).toBe(2)
    } finally {
      await remote.close()
    }
  })

  it('also verifies the server against a CA bundle instead of a pin', async () => {
    const remote = createClient({ remote: { url, cert: trusted.cert, key: trusted.key, ca: serverCert } })
    try {
      expect((await remote.projects.get('default')).name).toBe('default')
    } finally {
      await remote.close()
    }
  })

  it('refuses a server whose certificate is not the pinned one', async () => {
    const remote = createClient({
      remote: { url, cert: trusted.cert, key: trusted.key, serverCert: stranger.cert },
    })
    try {
      const err = await remote.projects.list().catch((e) => e)
      expect(err).toMatchObject({ code: 'INCUS_UNREACHABLE' })
      expect(err.message).toContain(url)
      expect(err.hint).toMatch(/pinned server certificate/)
    } finally {
      await remote.close()
    }
  })

  it('reports an untrusted client certificate as an API error (403)', async () => {
    const remote = createClient({ remote: { url, cert: stranger.cert, key: stranger.key, serverCert } })
    try {
      expect((await remote.server()).auth).toBe('untrusted')
      const err = await remote.projects.list().catch((e) => e)
      expect(err).toMatchObject({ code: 'INCUS_API_ERROR', status: 403 })
    } finally {
      await remote.close()
    }
  })
})
