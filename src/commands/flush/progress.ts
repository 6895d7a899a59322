import { printProgress } from '../../ui/output.js';
import { progressLine } from './render.js';
import type { ProgressState } from './types.js';

/**
 * Progress on stderr, on a terminal only: one line rewritten a few times a second (keys
 * counted, deleted, rate, per node). Counters are cheap; drawing is throttled by a timer.
 */
export interface Progress {
  phase(name: ProgressState['phase']): void;
  scanned(node: number, keys: number): void;
  deleted(node: number, keys: number): void;
  /** Clear the line (before a prompt); the next tick draws it again. */
  pause(): void;
  stop(): void;
}

export function startProgress(labels: string[], enabled: boolean): Progress {
  const state: ProgressState = {
    phase: 'counting',
    labels,
    scanned: labels.map(() => 0),
    deleted: labels.map(() => 0),
    startedMs: performance.now(),
    nowMs: performance.now(),
  };
  let drawn = false;
  let paused = false;
  const clear = (): void => {
    if (drawn) printProgress('\r\x1b[K');
    drawn = false;
  };
  const timer = enabled
    ? setInterval(() => {
        if (paused) return;
        state.nowMs = performance.now();
        printProgress(`\r\x1b[K${progressLine(state)}`);
        drawn = true;
      }, 250)
    : undefined;
  timer?.unref();
  return {
    phase(name) {
      state.phase = name;
      paused = false;
      if (name === 'deleting') state.startedMs = performance.now();
    },
    scanned(node, keys) {
      state.scanned[node] = (state.scanned[node] ?? 0) + keys;
    },
    deleted(node, keys) {
      state.deleted[node] = (state.deleted[node] ?? 0) + keys;
    },
    pause() {
      paused = true;
      clear();
    },
    stop() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
