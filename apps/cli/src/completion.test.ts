/** Shell completion and the man page, generated from the program's own definitions. */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allCommands, commandTree } from './command-tree.js'
import { completionScript } from './completion.js'
import { manPage, roff } from './man.js'
import { buildProgram } from './program.js'
import { runCli } from './run-cli.test-util.js'

const tree = commandTree(await buildProgram(['node', 'anklume']))
let dir: string
let script: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anklume-completion-'))
  script = join(dir, 'anklume.bash')
  await writeFile(script, completionScript(tree, 'bash'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** What bash completes for the words typed so far (the last one being completed). */
function complete(...words: string[]): string[] {
  const line = ['anklume', ...words].map((w) => `'${w}'`).join(' ')
  const out = execFileSync(
    'bash',
    [
      '-c',
      `source ${script}; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _anklume; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  )
  return out.split('\n').filter(Boolean)
}

describe('anklume completion', () => {
  it('bash: commands, subcommands and options of the command typed; files after -f', () => {
    expect(complete('pl')).toEqual(['plan'])
    expect(complete('snapshot', 'l')).toEqual(['list'])
    expect(complete('plan', '--de')).toEqual(['--detailed-exitcode'])
    expect(complete('snapshot', 'list', '--do')).toEqual(['--domain'])
    expect(complete('--socket', '/run/x', 'apply', '--con')).toEqual(['--concurrency'])
    expect(complete('plan', '-f', '')).toEqual([]) // bash's default (file names) takes over
    expect(complete('--ti')).toEqual(['--timeout'])
  })

  it('every command of the program is completed', () => {
    const names = tree.subcommands.map((c) => c.name)
    expect(names).toEqual(expect.arrayContaining(['validate', 'plan', 'apply', 'snapshot', 'completion']))
    expect(complete('')).toEqual(expect.arrayContaining(names))
  })

  it('zsh runs the bash one through bashcompinit; fish lists commands, subcommands and options', () => {
    const zsh = completionScript(tree, 'zsh')
    expect(zsh.startsWith('#compdef anklume\n')).toBe(true)
    expect(zsh).toContain('bashcompinit')
    expect(zsh).toContain('complete -o default -F _anklume anklume')
    const fish = completionScript(tree, 'fish')
    expect(fish).toContain("complete -c anklume -n 'not __fish_seen_subcommand_from validate plan apply")
    expect(fish).toContain(
      "complete -c anklume -n '__fish_seen_subcommand_from snapshot; and __fish_seen_subcommand_from list' -l domain -r",
    )
    expect(fish).toMatch(/complete -c anklume -n '__fish_seen_subcommand_from plan' -s f -l file -r -F/)
  })

  it('the command prints the script; an unknown shell is invalid input', async () => {
    const r = await runCli('completion', 'bash')
    expect([r.code, r.out]).toEqual([0, completionScript(tree, 'bash')])
    const bad = await runCli('completion', 'tcsh')
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('unknown shell "tcsh": choose bash, zsh, fish')
  })
})

describe('the man page', () => {
  const page = manPage(tree, { version: '1.2.3' })

  it('has every command with its options and examples, in valid roff', () => {
    expect(page.startsWith('.TH ANKLUME 1 "" "anklume 1.2.3" "User Commands"\n')).toBe(true)
    for (const c of allCommands(tree).filter((x) => x.path))
      expect(page, c.path).toContain(`.SS "anklume ${roff(c.path)}`)
    expect(page).toContain('.B \\-\\-detailed\\-exitcode')
    expect(page).toContain('anklume plan \\-\\-offline \\-\\-json')
    // No line roff would take as an unknown request.
    for (const line of page.split('\n'))
      if (line.startsWith('.')) expect(line).toMatch(/^\.(TH|SH|SS|TP|B|BR|PP|nf|fi)\b/)
  })

  it('escapes roff: backslashes, hyphens, leading dots', () => {
    expect(roff("a-b \\n\n.x\n'y")).toBe("a\\-b \\en\n\\&.x\n\\&'y")
    expect(roff('a → b…')).toBe('a \\[u2192] b\\[u2026]')
  })

  it('renders with groff (tooling/setup.sh installs groff-base) without warnings', async () => {
    const file = join(dir, 'anklume.1')
    await writeFile(file, page)
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', file], { encoding: 'utf8' })
    expect([r.status, r.stderr]).toEqual([0, ''])
    expect(r.stdout).toContain('anklume plan')
    expect(await readFile(file, 'utf8')).toBe(page)
  })
})
