/** JSON Schema of the raw infra file, for editors (yaml-language-server). */
import { z } from 'zod'
import { Infra } from './raw-infra.js'

export const INFRA_SCHEMA_ID = 'https://anklume.dev/schema/infra.json'

export function infraJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Infra, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  return { ...schema, $id: INFRA_SCHEMA_ID }
}
