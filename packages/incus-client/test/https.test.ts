/**
 * The HTTPS path: the daemon listens on 127.0.0.1:<free port> (unless
 * core.https_address is already set, which is then used and left alone), a
 * client certificate made here is trusted for the test, and the client
 * connects with the server certificate pinned.
 */
import { isAnklumeError } from '@anklume/errors'
import { type HttpsRemote, setupHttpsRemote, type TestCert } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../src/index.js'
import { prefix } from './helpers.js'

let remoteEnv: HttpsRemote
let url: string
let serverCert: string
let trusted: TestCert
let stranger: TestCert

beforeAll(async () => {
  remoteEnv = await setupHttpsRemote(prefix)
  ;({ url, serverCert, trusted, stranger } = remoteEnv)
})

afterAll(async () => {
  await remoteEnv?.close()
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
      // the pinned-certificate check's own error, kept as the cause
      expect(err.message).toContain('(INCUS_CERT_MISMATCH)')
      expect(isAnklumeError(err.cause, 'INCUS_CERT_MISMATCH')).toBe(true)
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
