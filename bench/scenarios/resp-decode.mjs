import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, root } from '../lib.mjs';

// The decoding half of the raw RESP pipe (src/redis/resp-decode.ts, ReplyReader) against bare
// redis-parser, on what `stats --keys` receives: SCAN pages and TYPE/PTTL/MEMORY USAGE triples.
// Pure CPU (no server): the same bytes, fed in 64 KiB chunks as a socket hands them over, each
// yielding every reply. Median of 7 interleaved runs after 2 warm-up runs.
// ReplyReader wraps redis-parser since it beat a hand-written decoder here; to measure that one
// again: `git checkout bff2b49 -- src/redis/resp-decode.ts && npm run bench resp-decode`.
const require = createRequire(import.meta.url);
const Parser = require('redis-parser');

function scanPages(pages, perPage) {
  const parts = [];
  for (let p = 0; p < pages; p++) {
    parts.push(`*2\r\n$5\r\n${String(10000 + p)}\r\n*${perPage}\r\n`);
    for (let k = 0; k < perPage; k++) {
      const key = `cache:user:${p}:${k}:profile`;
      parts.push(`$${key.length}\r\n${key}\r\n`);
    }
  }
  return { bytes: Buffer.from(parts.join(''), 'latin1'), replies: pages };
}

function sizeTriples(keys) {
  const one = '+string\r\n:-1\r\n:72\r\n';
  return { bytes: Buffer.from(one.repeat(keys), 'latin1'), replies: keys * 3 };
}

const chunks = (bytes) => {
  const out = [];
  for (let i = 0; i < bytes.length; i += 65536) out.push(bytes.subarray(i, i + 65536));
  return out;
};

export default {
  name: 'resp-decode',
  description:
    'RESP decoding: ReplyReader (src/redis/resp-decode.ts) vs bare redis-parser on SCAN pages and size triples',
  async run() {
    const { ReplyReader } = await import(pathToFileURL(join(root, 'dist/redis/resp-decode.js')).href);
    const ours = (data) => {
      let n = 0;
      const reader = new ReplyReader(() => n++);
      for (const c of data) reader.push(c);
      return n;
    };
    const theirs = (data) => {
      let n = 0;
      const parser = new Parser({
        returnBuffers: true,
        returnReply: () => n++,
        returnError: () => n++,
        returnFatalError: (err) => {
          throw err;
        },
      });
      for (const c of data) parser.execute(c);
      return n;
    };
    const workloads = [
      ['1000 SCAN pages of 1000 keys', scanPages(1000, 1000)],
      ['1M TYPE/PTTL/MEMORY USAGE replies', sizeTriples(333_334)],
    ];
    const rows = [];
    for (const [label, w] of workloads) {
      const data = chunks(w.bytes);
      const a = [];
      const b = [];
      for (let i = 0; i < 9; i++) {
        for (const [fn, times] of [
          [ours, a],
          [theirs, b],
        ]) {
          const t0 = performance.now();
          const n = fn(data);
          const ms = performance.now() - t0;
          if (n !== w.replies) throw new Error(`decoded ${n} replies, expected ${w.replies}`);
          if (i >= 2) times.push(ms); // the first two runs warm the JIT up
        }
      }
      const oursMs = median(a);
      const theirsMs = median(b);
      rows.push({
        ours: `resp-decode.ts: ${label}`,
        oursMs,
        theirs: 'bare redis-parser 3.0.0',
        theirsMs,
        ratio: oursMs / theirsMs,
        target: '≤ 1.5× (the wrapper costs little)',
        met: oursMs <= theirsMs * 1.5,
      });
    }
    return rows;
  },
};
