import { CancelledError } from '../errors.js';

/**
 * The one module that imports the prompt library (lazily: it is heavy). Ctrl-C at a prompt
 * becomes a CancelledError (exit 130) here, in one place. Tests replace these functions with
 * vi.mock('../../src/ui/prompt.js').
 */
async function load(): Promise<typeof import('@inquirer/prompts')> {
  return import('@inquirer/prompts');
}

async function guard<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError'))
      throw new CancelledError();
    throw err;
  }
}

export async function askConfirm(message: string, defaultValue = false): Promise<boolean> {
  const { confirm } = await load();
  return guard(() => confirm({ message, default: defaultValue }, { output: process.stderr }));
}

export async function askInput(
  message: string,
  opts: { default?: string; validate?: (v: string) => boolean | string } = {},
): Promise<string> {
  const { input } = await load();
  return guard(() =>
    input({ message, default: opts.default, validate: opts.validate }, { output: process.stderr }),
  );
}

export async function askSelect<T extends string>(
  message: string,
  choices: Array<{ value: T; name?: string; description?: string }>,
  defaultValue?: T,
): Promise<T> {
  const { select } = await load();
  return guard(() => select<T>({ message, choices, default: defaultValue }, { output: process.stderr }));
}

/** A password, not echoed (--askpass). */
export async function askPassword(message: string): Promise<string> {
  const { password } = await load();
  return guard(() => password({ message }, { output: process.stderr }));
}

export async function askCheckbox<T extends string>(
  message: string,
  choices: Array<{ value: T; name?: string; checked?: boolean }>,
): Promise<T[]> {
  const { checkbox } = await load();
  return guard(() => checkbox<T>({ message, choices }, { output: process.stderr }));
}
