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
// Pending sockets or timers of a failed probe must not keep the process alive.
setTimeout(() => process.exit(code), 50).unref();
