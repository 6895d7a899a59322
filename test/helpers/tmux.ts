import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath } from './cli.js';

/**
 * The CLI in a real terminal: a tmux pane of a given width on a private server socket. Output
 * is read with capture-pane -J (wrapped rows joined), so a line wider than the pane shows up as
 * one long line, and what a redraw left behind is still there to see.
 */
export interface Pane {
  /** The screen and scrollback, wrapped rows joined back into lines; `escapes`: with colour codes. */
  capture(escapes?: boolean): string[];
  keys(...keys: string[]): void;
  /** Change the pane's width (the program gets SIGWINCH, as when a person resizes the window). */
  resize(width: number): void;
  /** Wait until the command has exited; resolves with its exit code. */
  done(ms?: number): Promise<number>;
  kill(): void;
}

const marker = '__EXIT__';

export function openPane(args: string[], opts: { width: number; env?: Record<string, string> }): Pane {
  const dir = mkdtempSync(join(tmpdir(), 'tmux-'));
  const socket = join(dir, 'sock');
  const tmux = (...a: string[]): string => execFileSync('tmux', ['-S', socket, ...a], { encoding: 'utf8' });
  const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', TERM: 'xterm', TMPDIR: tmpdir(), ...opts.env };
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  // A script, run by bash with a no-op INT trap: Ctrl-C reaches the CLI, and the shell lives on to
  // print the exit code (a trap, unlike an ignored signal, is not inherited by the child).
  const script = join(dir, 'run.sh');
  writeFileSync(
    script,
    [
      'trap : INT',
      [
        'env -i',
        ...Object.entries(env).map(([k, v]) => quote(`${k}=${v}`)),
        'node',
        quote(binPath),
        ...args.map(quote),
      ].join(' '),
      `echo ${marker}$?`,
      'sleep 600',
    ].join('\n'),
  );
  tmux(
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-s',
    'p',
    '-x',
    String(opts.width),
    '-y',
    '50',
    `bash ${quote(script)}`,
  );
  tmux('set-option', '-t', 'p', 'history-limit', '5000');
  const capture = (escapes = false): string[] =>
    tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-t', 'p', '-S', '-5000')
      .replace(/\n+$/, '')
      .split('\n');
  return {
    capture,
    keys: (...keys) => void tmux('send-keys', '-t', 'p', ...keys),
    resize: (width) => void tmux('resize-window', '-t', 'p', '-x', String(width)),
    async done(ms = 30_000) {
      const until = Date.now() + ms;
      for (;;) {
        const line = capture().find((l) => l.startsWith(marker));
        if (line) return Number(line.slice(marker.length));
        if (Date.now() > until) throw new Error(`no exit within ${ms} ms:\n${capture().join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    kill: () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}

/** The lines a run printed, up to its exit marker. */
export function output(lines: string[]): string[] {
  const end = lines.findIndex((l) => l.startsWith(marker) || l.includes(marker));
  return end === -1 ? lines : lines.slice(0, end + 1);
}
