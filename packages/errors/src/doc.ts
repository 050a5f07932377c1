/**
 * docs/errors.md, rendered from the code table. Not part of the package's
 * API: `tooling/gen-errors-doc.mjs` writes the file from the built copy, and
 * a unit test fails when the file and the table disagree.
 */
import { ERROR_CODES, type ErrorCodeInfo, type ExitClass } from './codes.js'

const HEAD = `# Error codes

<!-- Generated from packages/errors/src/codes.ts by \`node tooling/gen-errors-doc.mjs\`
     (after \`pnpm build\`): edit the table there, not this file. -->

Every error anklume raises carries a stable string \`code\` (undici's
\`UND_ERR_*\` style): callers switch on the code, never on the message. The
CLI prints one line — \`error [CODE]: what failed\` — plus a \`hint:\` line
when there is something to do, and the stack only with \`--verbose\`.

In code: every error is an \`AnklumeError\` from \`@anklume/errors\` (or a
subclass carrying extra data: \`IncusError\` with the HTTP status and
Incus's message, \`NftError\` with nft's stderr, \`SchemaError\` with the
issues, \`LockError\` with the holder's pid); test it with
\`isAnklumeError(err, 'INCUS_NOT_FOUND')\`.

## Exit codes

| exit | meaning |
| ---: | --- |
| 0 | success (\`validate\`: valid; \`plan\`: computed) |
| 1 | runtime failure: Incus error, partial apply, nft load failed, lock held |
| 2 | invalid input: infra file, arguments, refused overwrite |
| \`plan --detailed-exitcode\` | 0 no changes · 2 changes pending · 3 invalid input · 1 error (terraform's scheme; invalid input moves to 3 because 2 means "changes") |
| 130 | second Ctrl-C during apply (the first only stops launching new actions) |
`

const SECTIONS: ReadonlyArray<readonly [ExitClass, string]> = [
  ['input', 'Input (exit 2)'],
  ['runtime', 'Runtime (exit 1)'],
]

/** The whole of docs/errors.md. */
export function renderErrorsDoc(table: Readonly<Record<string, ErrorCodeInfo>> = ERROR_CODES): string {
  let md = HEAD
  for (const [exit, title] of SECTIONS) {
    md += `\n## ${title}\n\n| code | raised by | meaning |\n| --- | --- | --- |\n`
    for (const [code, info] of Object.entries(table)) {
      if (info.exit === exit) md += `| \`${code}\` | ${info.raisedBy} | ${info.description} |\n`
    }
  }
  return md
}
