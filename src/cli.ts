import { main } from './program.js';
import { installSignalHandler } from './ui/signals.js';

/** The entry: the side effects (signals, stream errors, exit) live here, the program in program.ts. */
installSignalHandler();
// `redis-ops doctor | head` closes our stdout early: that is the reader's choice, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const code = await main();
process.exitCode = code;
// Pending sockets or timers of a failed probe must not keep the process alive; but a large
// result (queues --json over 10,000 queues) is still being written to a pipe: exit once stdout
// and stderr have flushed it (the callback of an empty write runs after every earlier write),
// and not a timer's grace period later: that was 50 ms on every run.
process.stderr.write('', () => process.stdout.write('', () => process.exit(code)));
