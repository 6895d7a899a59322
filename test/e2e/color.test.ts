import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { openPane, output, type Pane } from '../helpers/tmux.js';

/**
 * Colour follows the conventions (src/ui/colors.ts): on for a terminal, off for pipes, NO_COLOR,
 * --no-color and --json; FORCE_COLOR=1 turns it on for a pipe (CI logs that render ANSI) and
 * FORCE_COLOR=0 off. doctor against a closed port prints coloured verdicts without a server.
 */
// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;]*m/;

describe('colour: FORCE_COLOR, NO_COLOR, terminals and pipes', () => {
  let pane: Pane | undefined;
  afterEach(() => pane?.kill());

  async function doctor(env: Record<string, string>, extra: string[] = []) {
    const port = await freePort();
    return runCli(['doctor', '-p', String(port), '--timeout', '1s', ...extra], {
      // runCli sets NO_COLOR=1 by default; an empty NO_COLOR counts as unset (no-color.org).
      env: { NO_COLOR: '', ...env },
    });
  }

  it('a pipe gets no colour by default; FORCE_COLOR=1 gives ANSI colour without a terminal', async () => {
    const plain = await doctor({});
    expect(plain.exitCode).toBe(1);
    expect(plain.stdout).toContain('conn.tcp');
    expect(plain.stdout).not.toMatch(ansi);
    const forced = await doctor({ FORCE_COLOR: '1' });
    expect(forced.exitCode).toBe(1);
    expect(forced.stdout).toContain('\x1b[31m✖\x1b[39m conn.tcp');
    expect(forced.stdout).toContain('\x1b[1mredis-ops doctor\x1b[22m');
  });

  it('NO_COLOR, FORCE_COLOR=0, --no-color and --json win over FORCE_COLOR / a pipe', async () => {
    for (const [env, extra] of [
      [{ FORCE_COLOR: '1', NO_COLOR: '1' }, []],
      [{ FORCE_COLOR: '0' }, []],
      [{ FORCE_COLOR: '1' }, ['--no-color']],
    ] as Array<[Record<string, string>, string[]]>) {
      const r = await doctor(env, extra);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain('conn.tcp');
      expect(`${r.stdout}${r.stderr}`).not.toMatch(ansi);
    }
    const json = await doctor({ FORCE_COLOR: '1' }, ['--json']);
    expect(json.stdout).not.toMatch(ansi);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false });
  });

  it('a terminal (tmux pane) gets colour by default, and none with NO_COLOR', async () => {
    const port = await freePort();
    const args = ['doctor', '-p', String(port), '--timeout', '1s'];
    pane = openPane(args, { width: 100, env: { NO_COLOR: '' } });
    expect(await pane.done()).toBe(1);
    const coloured = output(pane.capture(true)).join('\n');
    expect(coloured).toContain('\x1b[31m✖\x1b[39m conn.tcp');
    pane.kill();
    pane = openPane(args, { width: 100 }); // NO_COLOR=1, the helper's default
    expect(await pane.done()).toBe(1);
    const lines = output(pane.capture(true));
    expect(lines.some((l) => l.includes('conn.tcp'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(ansi);
  });
});
