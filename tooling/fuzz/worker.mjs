/** Worker thread: checks the mutants the parent sends, one at a time (the parent times each one). */
import { parentPort } from 'node:worker_threads'
import { checkMutant } from './check.mjs'

parentPort.on('message', async ({ id, text, file }) => {
  const started = performance.now()
  let reply
  try {
    reply = await checkMutant(text, file)
  } catch (e) {
    reply = { problems: [`checker failed: ${e?.stack ?? e}`], valid: false }
  }
  parentPort.postMessage({ id, ms: performance.now() - started, ...reply })
})
parentPort.postMessage({ ready: true })
