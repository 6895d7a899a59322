import { createServer } from 'node:net';
import { bin, freePort } from '../lib.mjs';

// doctor against a port that accepts and never answers: it must end within --timeout + 1 s.
export default {
  name: 'doctor-dead',
  description: 'doctor against a black-hole port, --timeout 2000',
  async run() {
    const port = await freePort();
    const sockets = new Set();
    const srv = createServer((s) => sockets.add(s));
    await new Promise((r) => srv.listen(port, '127.0.0.1', r));
    const timeout = 2000;
    // spawnSync would block our own event loop (and the listener): run it async.
    const { spawn } = await import('node:child_process');
    const t0 = performance.now();
    const status = await new Promise((resolve) => {
      const p = spawn(
        bin,
        ['doctor', '--url', `redis://127.0.0.1:${port}`, '--timeout', String(timeout), '--json'],
        { stdio: 'ignore' },
      );
      p.on('exit', resolve);
    });
    const oursMs = performance.now() - t0;
    for (const s of sockets) s.destroy();
    srv.close();
    return {
      ours: `doctor (exit ${status})`,
      oursMs,
      theirs: '--timeout',
      theirsMs: timeout,
      ratio: oursMs / timeout,
      target: `≤ ${timeout + 1000} ms`,
      met: oursMs <= timeout + 1000,
    };
  },
};
