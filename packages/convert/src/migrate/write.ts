import { Document } from 'yaml'
import { convertProject, type MigrateOptions, type MigrateResult } from './convert.js'
import { readPythonProject } from './read-project.js'

/** infra.yml text: a header saying where it came from and what was left behind, then the data. */
export function renderMigrated(result: MigrateResult, sourceDir: string): string {
  const doc = new Document(result.infra, { version: '1.1' })
  const lines = [
    `infra.yml migrated by \`anklume migrate\` from the AnKLuMe project ${sourceDir}.`,
    'Every subnet_id and IP is written out, so addresses stay what AnKLuMe gave them.',
  ]
  if (result.warnings.length > 0) {
    lines.push('', 'Not carried over (review by hand):', ...result.warnings.map((w) => `- ${w}`))
  }
  doc.commentBefore = lines.map((l) => (l ? ` ${l}` : '')).join('\n')
  return doc.toString({ lineWidth: 0, indentSeq: true })
}

/** Reads, converts and renders a project directory: the whole of `anklume migrate` but the write. */
export async function migrateProject(
  dir: string,
  opts: MigrateOptions = {},
): Promise<MigrateResult & { text: string }> {
  const result = convertProject(await readPythonProject(dir), opts)
  return { ...result, text: renderMigrated(result, dir) }
}
