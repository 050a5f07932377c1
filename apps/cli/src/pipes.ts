/**
 * `anklume plan | head -3` closes our stdout early. Node then raises EPIPE
 * on the next write, which would crash the process with a stack trace. A
 * reader that went away is not an error of ours: output to that stream
 * stops, and the command finishes its work (an apply is never cut short by
 * a closed pipe) and exits with its own code.
 */
export function ignoreClosedPipes(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return
      throw err
    })
  }
}
