import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { COMMANDS } from './commands/index.js'
import { buildProgram, commandsFor } from './program.js'

const argv = (...a: string[]) => ['node', 'anklume', ...a]
const names = (mods: ReturnType<typeof commandsFor>) => mods.flatMap((m) => m.names)

describe('lazy command loading', () => {
  it('each registry entry registers exactly the command names it declares', async () => {
    for (const entry of COMMANDS) {
      const program = new Command()
      ;(await entry.load()).register(program)
      expect(program.commands.map((c) => c.name())).toEqual(entry.names)
    }
    const all = names(COMMANDS)
    expect(new Set(all).size).toBe(all.length)
  })

  it('loads only the module of the command argv names, skipping global options and their values', async () => {
    const program = new Command()
      .option('--socket <path>')
      .option('--timeout <seconds>')
      .option('-q, --quiet')
    expect(names(commandsFor(program, argv('apply', '--yes')))).toEqual(['apply'])
    expect(names(commandsFor(program, argv('--socket', 'plan', 'status')))).toEqual(['status'])
    expect(names(commandsFor(program, argv('--timeout=5', '-q', 'resume', 'x')))).toEqual(['pause', 'resume'])
    expect(names(commandsFor(program, argv('help', 'snapshot')))).toEqual(['snapshot'])
    expect(commandsFor(program, argv('--version'))).toEqual([])
  })

  it('loads every command for help, a bare `anklume` or an unknown name', () => {
    const program = new Command()
    for (const a of [[], ['--help'], ['help'], ['aply'], ['--version', '--help']])
      expect(commandsFor(program, argv(...a))).toBe(COMMANDS)
  })

  it('loads every command with completion, which reads the whole program', () => {
    expect(commandsFor(new Command(), argv('completion', 'bash'))).toBe(COMMANDS)
  })

  it('the program built for one command still parses it; --help lists every command', async () => {
    const one = await buildProgram(argv('validate', '--json'))
    expect(one.commands.map((c) => c.name())).toEqual(['validate'])
    const all = await buildProgram(argv('--help'))
    expect(all.commands.map((c) => c.name())).toEqual(names(COMMANDS))
  })
})
