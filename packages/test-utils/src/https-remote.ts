/**
 * An HTTPS endpoint on the local daemon for tests of the remote path: Incus
 * listens on 127.0.0.1:<free port> (unless core.https_address is already set,
 * which is then used and left alone), and a client certificate made here is
 * trusted until `close()`. A second, untrusted certificate is made too.
 */
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { raw } from './incus-raw.js'

export interface TestCert {
  cert: string
  key: string
  certFile: string
  keyFile: string
  fingerprint: string
}

export interface HttpsRemote {
  url: string
  /** The daemon's certificate (PEM), for pinning; also written to `serverCertFile`. */
  serverCert: string
  serverCertFile: string
  trusted: TestCert
  stranger: TestCert
  close(): Promise<void>
}

function makeCert(dir: string, name: string): TestCert {
  const keyFile = join(dir, `${name}.key`)
  const certFile = join(dir, `${name}.crt`)
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1', '-nodes'].concat([
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
    ]),
    { stdio: 'ignore' },
  )
  const cert = readFileSync(certFile, 'utf8')
  const fingerprint = new X509Certificate(cert).fingerprint256.replaceAll(':', '').toLowerCase()
  return { cert, key: readFileSync(keyFile, 'utf8'), certFile, keyFile, fingerprint }
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

export async function setupHttpsRemote(prefix: string): Promise<HttpsRemote> {
  const dir = mkdtempSync(join(tmpdir(), 'anklume-tls-'))
  const info = (await raw('GET', '/1.0')).body.metadata as {
    config?: Record<string, string>
    environment?: { certificate?: string }
  }
  const serverCert = info.environment?.certificate ?? ''
  const previous = info.config?.['core.https_address']
  let url: string
  if (previous) {
    url = `https://127.0.0.1:${previous.slice(previous.lastIndexOf(':') + 1) || '8443'}`
  } else {
    const port = await freePort()
    await raw('PATCH', '/1.0', { config: { 'core.https_address': `127.0.0.1:${port}` } })
    url = `https://127.0.0.1:${port}`
  }
  const serverCertFile = join(dir, 'server.crt')
  writeFileSync(serverCertFile, serverCert)
  const trusted = makeCert(dir, `${prefix}-client`)
  const stranger = makeCert(dir, `${prefix}-stranger`)
  const der = new X509Certificate(trusted.cert).raw.toString('base64')
  await raw('POST', '/1.0/certificates', { type: 'client', name: `${prefix}-client`, certificate: der })
  return {
    url,
    serverCert,
    serverCertFile,
    trusted,
    stranger,
    close: async () => {
      await raw('DELETE', `/1.0/certificates/${trusted.fingerprint}`).catch(() => undefined)
      if (!previous) await raw('PATCH', '/1.0', { config: { 'core.https_address': '' } })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
