import { bin, median, timeCommand } from '../lib.mjs';

// redis-ops --help against a bare `node -e ''`: Node's own start is the floor.
export default {
  name: 'startup',
  description: "redis-ops --help vs node -e '' (median of 31 runs each, interleaved)",
  async run() {
    const ours = [];
    const base = [];
    // Warm-up runs (discarded): the first starts read files from disk, not from the page cache.
    for (let i = 0; i < 3; i++) {
      timeCommand(['node', '-e', '']);
      timeCommand([bin, '--help']);
    }
    for (let i = 0; i < 31; i++) {
      base.push(timeCommand(['node', '-e', '']).ms);
      ours.push(timeCommand([bin, '--help']).ms);
    }
    const oursMs = median(ours);
    const theirsMs = median(base);
    const ratio = oursMs / theirsMs;
    return {
      ours: 'redis-ops --help',
      oursMs,
      theirs: "node -e ''",
      theirsMs,
      ratio,
      target: '≤ 1.6×',
      met: ratio <= 1.6,
    };
  },
};
