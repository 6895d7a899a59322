import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, soleCommand } from '../../src/program.js';

/** Every command under `cmd` with its help text, by path ("queues show"). */
function helps(cmd: Command, prefix: string[] = []): Array<[string, string]> {
  return cmd.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [[path.join(' '), c.helpInformation()] as [string, string], ...helps(c, path)];
  });
}

describe('a run of one command registers that one alone', () => {
  it('the command named first runs alone; completion, help, typos and flags get every command', () => {
    const argv = (...a: string[]): string[] => ['node', 'redis-ops', ...a];
    expect(soleCommand(argv('flush', 'cache:', '--yes'))).toBe('flush');
    expect(soleCommand(argv('queues', 'show', 'q'))).toBe('queues');
    for (const name of ['init', 'doctor', 'stats']) expect(soleCommand(argv(name))).toBe(name);
    expect(soleCommand(argv('completion', 'bash'))).toBeUndefined();
    expect(soleCommand(argv('help', 'flush'))).toBeUndefined();
    expect(soleCommand(argv('flsh'))).toBeUndefined();
    expect(soleCommand(argv('--help'))).toBeUndefined();
    expect(soleCommand(argv('-V'))).toBeUndefined();
    expect(soleCommand(argv())).toBeUndefined();
  });

  it('each command alone has the same commands, flags and help as in the whole program', async () => {
    const whole = await buildProgram();
    const all = new Map(helps(whole));
    const names = whole.commands.map((c) => c.name()).filter((n) => n !== 'completion');
    expect(names).toEqual(['init', 'doctor', 'stats', 'queues', 'flush']);
    for (const name of names) {
      const alone = await buildProgram(undefined, name);
      expect(alone.commands.map((c) => c.name())).toEqual([name]);
      for (const [path, help] of helps(alone)) expect(help, path).toBe(all.get(path));
    }
  });
});
