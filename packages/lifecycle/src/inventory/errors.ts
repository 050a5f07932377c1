/** Errors of the inventory, migrate and graph tools: a stable code, a message, a hint. */
export class ToolError extends Error {
  readonly code: string
  readonly hint: string | undefined
  constructor(code: string, message: string, hint?: string) {
    super(message)
    this.name = 'ToolError'
    this.code = code
    this.hint = hint
  }
}
