import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readAnsibleFacts } from './ansible.js'

// The real Ansible is read in apps/cli/test/ansible.test.ts (integration); here,
// the cases a real install cannot show on demand.
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anklume-ansible-unit-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function script(name: string, body: string): Promise<void> {
  await writeFile(join(dir, name), `#!/bin/sh\n${body}\n`)
  await chmod(join(dir, name), 0o755)
}

describe('readAnsibleFacts', () => {
  it('no ansible-doc on the path: not installed, no error', async () => {
    expect(await readAnsibleFacts({ binDir: join(dir, 'nowhere') })).toEqual({
      installed: false,
      communityGeneral: [],
    })
  })

  it('an ansible-doc that answers no JSON: an error carrying what it said', async () => {
    await script(
      'ansible-doc',
      'case "$1" in --version) echo "ansible-doc [core 2.14.18]";; *) echo "ERROR! broken config" >&2; exit 5;; esac',
    )
    await script('ansible-galaxy', 'echo "{}"')
    await expect(readAnsibleFacts({ binDir: dir })).rejects.toThrow(
      'ansible-doc exited with 5: ERROR! broken config',
    )
  })
})
