#!/usr/bin/env node
// npm run bench [scenario...]: each scenario starts its own scratch redis-server, generates its
// data, runs redis-ops and the tool a user would otherwise use on the same data, in one run.
// Prints a table (both times, the ratio, the target) and writes bench/results.json.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(join(here, 'scenarios'))
  .filter((f) => f.endsWith('.mjs'))
  .sort();
const scenarios = [];
for (const f of files) scenarios.push((await import(join(here, 'scenarios', f))).default);

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !scenarios.some((s) => s.name === w));
if (unknown.length) {
  console.error(`unknown scenario: ${unknown.join(', ')} (have: ${scenarios.map((s) => s.name).join(', ')})`);
  process.exit(2);
}
const chosen = wanted.length ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;

const rows = [];
for (const s of chosen) {
  process.stderr.write(`bench ${s.name}: ${s.description}\n`);
  // A scenario returns one or more rows: { scenario, ours, theirs, oursMs, theirsMs, ratio, target, met, extra }
  const out = await s.run();
  for (const r of Array.isArray(out) ? out : [out]) rows.push({ scenario: s.name, ...r });
}

const fmt = (ms) =>
  ms === null || ms === undefined ? '-' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
// × floor: a tool's wall time over the server's busy time for the commands it sent (bench/lib.mjs
// measureFloor: INFO commandstats usec after CONFIG RESETSTAT). Shown where a scenario measured it.
const times = (ms, floor) => (ms && floor ? `${(ms / floor).toFixed(2)}×` : '-');
const table = [
  ['scenario', 'redis-ops', 'time', '× floor', 'compared with', 'time', '× floor', 'ratio', 'target', 'met'],
];
for (const r of rows) {
  table.push([
    r.scenario,
    r.ours,
    fmt(r.oursMs),
    times(r.oursMs, r.oursFloorMs),
    r.theirs,
    fmt(r.theirsMs),
    times(r.theirsMs, r.theirsFloorMs),
    r.ratio === null || r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}×`,
    r.target,
    r.met ? 'yes' : 'NO',
  ]);
}
const widths = table[0].map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
for (const row of table) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join('  '));
for (const r of rows) if (r.extra) console.log(`${r.scenario}: ${r.extra}`);
const floors = new Set();
for (const r of rows) {
  const line = `${r.scenario}: ${r.ours}: server floor ${fmt(r.oursFloorMs)} (commandstats usec of what it sent)${r.oursCpuMs ? `, server CPU ${fmt(r.oursCpuMs)}` : ''}`;
  if (r.oursFloorMs && !floors.has(line)) {
    floors.add(line);
    console.log(line);
  }
}

writeFileSync(
  join(here, 'results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`,
);
process.stderr.write(`wrote bench/results.json\n`);
