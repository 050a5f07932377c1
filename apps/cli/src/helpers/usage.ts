import { isAnklumeError } from '@anklume/errors'
import { CliError } from '../errors.js'

/** Library target errors (unknown instance or domain, bad combination) are invalid input: exit 2. */
export async function asUsage<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    const { TARGET_ERROR_CODES } = await import('@anklume/engine')
    if (isAnklumeError(e) && TARGET_ERROR_CODES.has(e.code))
      throw new CliError('ANKLUME_USAGE', e.message, e.hint)
    throw e
  }
}
