/** The production guard of `flush` / `destroy` (lifecycle.md, Flush). */
import { AnklumeError } from '@anklume/errors'
import type { NestingContext } from '@anklume/schema'

/** A physical host (level 0 or no context file) without `yolo`: production. */
export function isProductionHost(ctx: NestingContext): boolean {
  return ctx.absoluteLevel === 0 && !ctx.yolo
}

/** Throws ANKLUME_PRODUCTION_HOST on a production host unless forced. */
export function productionGuard(ctx: NestingContext, force: boolean, what = 'flush'): void {
  if (!isProductionHost(ctx) || force) return
  throw new AnklumeError(
    'ANKLUME_PRODUCTION_HOST',
    `refusing to ${what} on a production host (/etc/anklume/absolute_level is 0 or absent and yolo is not true); nothing was deleted`,
    `check with --dry-run, then pass --force if you really mean it (or run it inside a nested anklume instance)`,
  )
}
