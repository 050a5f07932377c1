#!/usr/bin/env node
/**
 * Writes docs/cli-reference.md from the built CLI's own `--help` texts, so
 * the reference never drifts from the program. Run after `pnpm build`:
 *   node tooling/gen-cli-reference.mjs
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../apps/cli/dist/bin.js', import.meta.url))
const help = (args) =>
  execFileSync(process.execPath, [bin, ...args, '--help'], {
    encoding: 'utf8',
    env: { ...process.env, COLUMNS: '100' },
  })

const top = help([])
const names = [...top.matchAll(/^ {2}([a-z]+)(?: \[options\]| <|\s)/gm)]
  .map((m) => m[1])
  .filter((n) => n !== 'help')
let md =
  '# CLI reference\n\nGenerated from `anklume --help` by `tooling/gen-cli-reference.mjs`; the [user guide](cli.md) explains the workflow.\n\n'
md += '```\n' + top.trimEnd() + '\n```\n'
for (const name of names) {
  const text = help([name])
  md += `\n## anklume ${name}\n\n\`\`\`\n${text.trimEnd()}\n\`\`\`\n`
  for (const sub of [...text.matchAll(/^ {2}([a-z]+) \[options\]/gm)].map((m) => m[1])) {
    md += `\n### anklume ${name} ${sub}\n\n\`\`\`\n${help([name, sub]).trimEnd()}\n\`\`\`\n`
  }
}
writeFileSync(fileURLToPath(new URL('../docs/cli-reference.md', import.meta.url)), md)
console.log(`docs/cli-reference.md: ${names.length} commands`)
