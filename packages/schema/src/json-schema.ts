/** JSON Schema of the raw infra file, for editors (yaml-language-server). */
import { z } from 'zod'
import { NESTING_PREFIX_LENGTH } from './naming.js'
import { DOMAIN_NAME_SCHEMA, Infra } from './raw-infra.js'

export const INFRA_SCHEMA_ID = 'https://anklume.dev/schema/infra.json'

/** The file name `anklume init` writes the schema to, and its modeline names. */
export const SCHEMA_FILE = 'infra.schema.json'

/** The first line that points yaml-language-server (VS Code, Neovim…) at the schema beside the file. */
export const SCHEMA_MODELINE = `# yaml-language-server: $schema=./${SCHEMA_FILE}`

export function infraJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Infra, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  // With global.nesting_prefix: true every bridge name also carries `NNN-`: 4 characters fewer for the domain.
  const prefixed: Record<string, unknown> = {
    if: {
      required: ['global'],
      properties: {
        global: { required: ['nesting_prefix'], properties: { nesting_prefix: { const: true } } },
      },
    },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a promise
    then: {
      properties: {
        domains: {
          propertyNames: { maxLength: DOMAIN_NAME_SCHEMA.maxLength - NESTING_PREFIX_LENGTH },
        },
      },
    },
  }
  return { ...schema, ...prefixed, $id: INFRA_SCHEMA_ID }
}
