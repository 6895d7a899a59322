import { barLine, clearLive, drawLive, terminalWidth } from '../../ui/live.js';
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
  let paused = false;
  const clear = (): void => clearLive();
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  // Counting has no total yet (a line of figures); deleting knows it (a bar with percent and ETA).
  const line = (): string => {
    if (state.phase !== 'deleting') return progressLine(state);
    const bar = barLine({
      label: 'deleting',
      done: sum(state.deleted),
      total: sum(state.scanned),
      elapsedMs: state.nowMs - state.startedMs,
      unit: 'keys',
      width: terminalWidth(),
    });
    const perNode =
      state.labels.length > 1 ? state.labels.map((l, i) => ` · ${l} ${state.deleted[i] ?? 0}`).join('') : '';
    return bar + perNode;
  };
  const timer = enabled
    ? setInterval(() => {
        if (paused) return;
        state.nowMs = performance.now();
        drawLive(line());
      }, 250)
    : undefined;
  timer?.unref();
  return {
    phase(name) {
      state.phase = name;
      paused = false;
      if (name !== 'counting') state.startedMs = performance.now();
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
