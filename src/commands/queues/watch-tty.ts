import { CliError } from '../../errors.js';
import type { Connection } from '../../redis/connect.js';
import { openScreen } from '../../ui/screen.js';
import { performAction } from './actions.js';
import { filterRows, renderFrame, type ViewState } from './render-watch.js';
import type { WatchSnapshot } from './types.js';
import { watchQueues, type WatchOptions } from './watch.js';

/**
 * The live view on a terminal: the frame is redrawn on every snapshot, key and resize. The
 * selection follows the queue (not the row number) while rows re-sort. `p`/`r` ask y/n on the
 * bottom line and only then pause or resume through the same action as `queues pause` (which
 * refuses old `bull` queues, replicas and denied EVAL with its own message). Returns the exit
 * code: 0 for `q`, 130 for Ctrl-C.
 */
export async function watchOnTerminal(
  conn: Connection,
  opts: Omit<WatchOptions, 'signal' | 'onSnapshot'>,
): Promise<number> {
  const abort = new AbortController();
  let exitCode = 0;
  let snap: WatchSnapshot | null = null;
  let selectedBase: string | null = null;
  let pending: { action: 'pause' | 'resume'; base: string } | null = null;
  const view: ViewState = { selected: 0, filter: '', typing: null, prompt: null, message: null };

  const rows = () => (snap ? filterRows(snap.rows, view.filter) : []);
  const draw = (): void => {
    if (!snap) {
      screen.draw([`queues --watch · reading… · ${opts.target}`]);
      return;
    }
    const list = rows();
    let i = list.findIndex((r) => r.base === selectedBase);
    if (i === -1) i = Math.min(view.selected, Math.max(0, list.length - 1));
    view.selected = i;
    selectedBase = list[i]?.base ?? null;
    screen.draw(renderFrame(snap, view, screen.width(), screen.height()));
  };
  const move = (by: number): void => {
    const list = rows();
    if (list.length === 0) return;
    view.selected = Math.max(0, Math.min(list.length - 1, view.selected + by));
    selectedBase = list[view.selected]?.base ?? null;
  };
  const act = async (action: 'pause' | 'resume', base: string): Promise<void> => {
    view.message = `${action === 'pause' ? 'pausing' : 'resuming'} ${base}…`;
    draw();
    try {
      const r = await performAction(conn, {
        action,
        name: base,
        prefixes: [],
        yes: true, // asked on the bottom line just now
        dryRun: false,
        interactive: false,
        timeoutMs: opts.timeoutMs,
        confirm: () => Promise.resolve(false),
        announce: () => undefined,
      });
      view.message = r.note ?? r.done;
    } catch (err) {
      view.message = `✖ ${err instanceof CliError || err instanceof Error ? err.message : String(err)}`;
    }
    draw();
  };
  const onKey = (key: string): void => {
    if (view.typing !== null) {
      if (key === '\r' || key === '\n') {
        view.filter = view.typing;
        view.typing = null;
        view.selected = 0;
        selectedBase = null;
      } else if (key === '\x1b') view.typing = null;
      else if (key === '\x7f' || key === '\b') view.typing = view.typing.slice(0, -1);
      else if (key === '\x03') quit(130);
      else if (key >= ' ') view.typing += key;
      draw();
      return;
    }
    if (pending) {
      const p = pending;
      pending = null;
      view.prompt = null;
      if (key === 'y' || key === 'Y') void act(p.action, p.base);
      else view.message = `${p.action} cancelled: nothing changed`;
      if (key === '\x03') quit(130);
      draw();
      return;
    }
    view.message = null;
    if (key === 'q') return quit(0);
    if (key === '\x03') return quit(130);
    if (key === '/') view.typing = '';
    else if (key === '\x1b[A' || key === 'k') move(-1);
    else if (key === '\x1b[B' || key === 'j') move(1);
    else if (key === 'p' || key === 'r') {
      const row = rows()[view.selected];
      if (row) {
        pending = { action: key === 'p' ? 'pause' : 'resume', base: row.base };
        view.prompt = `${pending.action} ${row.base}? (y/N)`;
      }
    }
    draw();
  };
  const screen = openScreen({ onKey, onResize: () => draw() });
  function quit(code: number): void {
    exitCode = code;
    abort.abort();
  }
  try {
    draw();
    await watchQueues(conn, {
      ...opts,
      signal: abort.signal,
      onSnapshot: (s) => {
        snap = s;
        draw();
      },
    });
  } finally {
    screen.close();
  }
  return exitCode;
}
