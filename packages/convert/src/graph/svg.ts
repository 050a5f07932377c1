import { spawn } from 'node:child_process'
import { AnklumeError } from '@anklume/errors'

export interface SvgOptions {
  /** The Graphviz program (default `dot`, found on PATH). */
  command?: string
  args?: string[]
}

/** Renders DOT text to SVG with Graphviz; a clear error when Graphviz is not installed. */
export function dotToSvg(dot: string, opts: SvgOptions = {}): Promise<string> {
  const command = opts.command ?? 'dot'
  return new Promise((resolve, reject) => {
    const child = spawn(command, opts.args ?? ['-Tsvg'], { stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.stdin.on('error', () => undefined)
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new AnklumeError(
              'ANKLUME_GRAPHVIZ_MISSING',
              `Graphviz is not installed (\`${command}\` not found), so no SVG can be drawn`,
              'install it (apt-get install graphviz) or use `anklume graph --format dot` and render the DOT elsewhere',
            )
          : new AnklumeError('ANKLUME_GRAPHVIZ_FAILED', `cannot run ${command}: ${e.message}`),
      )
    })
    child.on('close', (code) => {
      // after an 'error' event the promise is already settled: a second reject is ignored
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'))
      else {
        const detail = Buffer.concat(err).toString('utf8').trim()
        reject(
          new AnklumeError(
            'ANKLUME_GRAPHVIZ_FAILED',
            `${command} exited with ${code ?? 'a signal'}: ${detail}`,
          ),
        )
      }
    })
    child.stdin.end(dot)
  })
}
