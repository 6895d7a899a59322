import { fit } from './live.js';

/**
 * A full-screen view on a terminal (the alternate screen, as top and htop use): each frame is
 * drawn from the top-left corner over the last one, every line cut to the width and cleared to
 * its end, so nothing of a wider frame stays behind after a resize. Keys arrive one by one in
 * raw mode (Ctrl-C is then a key, `\x03`, not a signal). `close()` always gives the terminal
 * back as it was: main screen, cursor shown, cooked mode.
 */
export interface Screen {
  width(): number;
  height(): number;
  draw(lines: string[]): void;
  close(): void;
}

export interface ScreenOptions {
  output?: NodeJS.WriteStream;
  input?: NodeJS.ReadStream;
  onKey(key: string): void;
  onResize(): void;
}

// eslint-disable-next-line no-control-regex
const ansi = /\x1b\[[0-9;]*m/g;

/** Cut a line that may hold colour codes to `width` visible characters. */
function fitVisible(line: string, width: number): string {
  if (!ansi.test(line)) return fit(line, width);
  ansi.lastIndex = 0;
  return [...line.replace(ansi, '')].length <= width ? line : fit(line.replace(ansi, ''), width);
}

export function openScreen(opts: ScreenOptions): Screen {
  const out = opts.output ?? process.stdout;
  const input = opts.input ?? process.stdin;
  const dims = (): { w: number; h: number } => ({
    w: typeof out.columns === 'number' && out.columns > 0 ? out.columns : 80,
    h: typeof out.rows === 'number' && out.rows > 0 ? out.rows : 24,
  });
  const onData = (chunk: Buffer | string): void => {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    // Arrow keys come as one escape sequence; anything else is split into single characters.
    // eslint-disable-next-line no-control-regex
    const keys = text.match(/\x1b\[[A-D]|\x1b|[^\x1b]/gu) ?? [];
    for (const k of keys) opts.onKey(k);
  };
  const onResize = (): void => opts.onResize();
  out.write('\x1b[?1049h\x1b[?25l');
  if (input.isTTY) input.setRawMode(true);
  input.setEncoding('utf8');
  input.on('data', onData);
  input.resume();
  out.on('resize', onResize);
  let closed = false;
  return {
    width: () => dims().w,
    height: () => dims().h,
    draw(lines) {
      if (closed) return;
      const { w, h } = dims();
      // One column short: some terminals wrap when the last column is written.
      const body = lines.slice(0, h).map((l) => `${fitVisible(l, w - 1)}\x1b[K`);
      out.write(`\x1b[H${body.join('\r\n')}\x1b[J`);
    },
    close() {
      if (closed) return;
      closed = true;
      out.off('resize', onResize);
      input.off('data', onData);
      if (input.isTTY) input.setRawMode(false);
      input.pause();
      out.write('\x1b[?25h\x1b[?1049l');
    },
  };
}
