/**
 * The CLI's global --remote/--cert/--key/--server-cert options on the real
 * daemon's HTTPS endpoint: a trusted certificate with the server pinned
 * works, a wrong pin is refused with the fix, and missing --key is a usage
 * error.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type HttpsRemote, runPrefix, setupHttpsRemote } from '@anklume/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/run-cli.test-util.js'

const P = runPrefix()
let remote: HttpsRemote
let infra: string

beforeAll(async () => {
  remote = await setupHttpsRemote(`${P}cli`)
  infra = join(await mkdtemp(join(tmpdir(), 'anklume-remote-')), 'infra.yml')
  await writeFile(infra, `project_name: ${P}-remote\nglobal: { base_subnet: "10.100" }\ndomains: {}\n`)
})

afterAll(async () => {
  await remote?.close()
})

describe('anklume --remote', () => {
  it('plans against the remote with a trusted certificate and the server pinned', async () => {
    const r = await runCli(
      ...['--remote', remote.url, '--cert', remote.trusted.certFile, '--key', remote.trusted.keyFile],
      ...['--server-cert', remote.serverCertFile, 'plan', '-f', infra, '--detailed-exitcode'],
    )
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain('No changes')
  })

  it('applies through the remote and leaves the nftables table to the Incus host', async () => {
    const r = await runCli(
      ...['--remote', remote.url, '--cert', remote.trusted.certFile, '--key', remote.trusted.keyFile],
      ...['--server-cert', remote.serverCertFile, 'apply', '--yes', '-f', infra],
    )
    expect(r.code, r.err).toBe(0)
    expect(r.out).toMatch(/Apply complete: 0 done, 0 failed/)
    expect(r.err).toMatch(
      /nftables: not loaded \(--remote\): run `anklume nft apply` on the Incus host itself/,
    )
  })

  it('refuses a server that does not present the pinned certificate', async () => {
    const r = await runCli(
      ...['--remote', remote.url, '--cert', remote.trusted.certFile, '--key', remote.trusted.keyFile],
      ...['--server-cert', remote.stranger.certFile, 'status', '-f', infra],
    )
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/INCUS_UNREACHABLE/)
    expect(r.err).toMatch(/hint: .*pinned server certificate/)
  })

  it('needs --key with --remote', async () => {
    const r = await runCli('--remote', remote.url, '--cert', remote.trusted.certFile, 'status', '-f', infra)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/--remote needs --cert and --key/)
  })
})
