/**
 * Ctrl-C handling in one place. By default SIGINT exits 130 at once. A command doing work that
 * must stop cleanly (flush: finish the batch in flight, then report) takes over with
 * onInterrupt(); a second Ctrl-C always exits at once.
 */
import { interruptLive } from './live.js';

type Handler = () => void;
let handler: Handler | undefined;
let interrupted = false;

export function installSignalHandler(): void {
  process.on('SIGINT', () => {
    // The live line ends with "interrupted" and a newline; otherwise the terminal's echoed "^C"
    // is wiped, so what follows (our report, the shell prompt) starts on a clean line.
    if (!interruptLive() && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    if (handler && !interrupted) {
      interrupted = true;
      handler();
      return;
    }
    process.exit(130);
  });
}

/** Take over Ctrl-C until the returned function is called. */
export function onInterrupt(h: Handler): () => void {
  handler = h;
  interrupted = false;
  return () => {
    if (handler === h) handler = undefined;
  };
}
