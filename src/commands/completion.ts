import type { Command } from 'commander';
import { parseChoice } from '../options.js';
import { writeStdout } from '../ui/output.js';
import { inspectPoint, type RunContext } from './connection.js';

/**
 * `redis-ops completion bash|zsh|fish`: a completion script generated from the program itself,
 * so it never drifts from the flags. Commands and long flags complete; values do not.
 */
const shells = ['bash', 'zsh', 'fish'] as const;

interface Entry {
  /** "queues show" */
  path: string;
  subcommands: string[];
  flags: string[];
}

function entries(cmd: Command, prefix: string[] = []): Entry[] {
  const path = [...prefix, cmd.name()].slice(1);
  const flags = cmd.options.filter((o) => !o.hidden && o.long).map((o) => o.long as string);
  const subs = cmd.commands.map((c) => c.name());
  const me: Entry = { path: path.join(' '), subcommands: subs, flags: [...flags, '--help'] };
  return [me, ...cmd.commands.flatMap((c) => entries(c, [...prefix, cmd.name()]))];
}

export function completionScript(program: Command, shell: (typeof shells)[number]): string {
  const all = entries(program);
  if (shell === 'bash' || shell === 'zsh') {
    const cases = all
      .map((e) => `    "${e.path}") words="${[...e.subcommands, ...e.flags].join(' ')}" ;;`)
      .join('\n');
    const bash = `# redis-ops completion for ${shell}: eval "$(redis-ops completion ${shell})"
_redis_ops_complete() {
  local cur path w
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$w" in -*) ;; *) case " $(_redis_ops_words "$path") " in *" $w "*) path="\${path:+$path }$w" ;; esac ;; esac
  done
  COMPREPLY=( $(compgen -W "$(_redis_ops_words "$path")" -- "$cur") )
}
_redis_ops_words() {
  local words=""
  case "$1" in
${cases}
  esac
  echo "$words"
}
`;
    if (shell === 'bash') return `${bash}complete -F _redis_ops_complete redis-ops\n`;
    return `${bash}autoload -U +X bashcompinit && bashcompinit\ncomplete -F _redis_ops_complete redis-ops\n`;
  }
  const lines = [
    '# redis-ops completion for fish: redis-ops completion fish | source',
    'complete -c redis-ops -f',
  ];
  for (const e of all) {
    const words = e.path === '' ? [] : e.path.split(' ');
    const cond =
      words.length === 0
        ? `not __fish_seen_subcommand_from ${all[0]?.subcommands.join(' ') ?? ''}`
        : words.map((w) => `__fish_seen_subcommand_from ${w}`).join('; and ');
    for (const sub of e.subcommands) lines.push(`complete -c redis-ops -n '${cond}' -a ${sub}`);
    for (const f of e.flags) lines.push(`complete -c redis-ops -n '${cond}' -l ${f.replace(/^--/, '')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerCompletion(program: Command, ctx: RunContext): void {
  program
    .command('completion <shell>')
    .description('print a shell completion script: bash, zsh or fish')
    .addHelpText(
      'after',
      `
Examples:
  $ redis-ops completion bash >> ~/.bashrc
  $ echo 'eval "$(redis-ops completion zsh)"' >> ~/.zshrc
  $ redis-ops completion fish > ~/.config/fish/completions/redis-ops.fish`,
    )
    .action((value: string) => {
      const shell = parseChoice(value, '<shell>', shells) as (typeof shells)[number];
      inspectPoint(ctx, 'completion', { shell });
      writeStdout(completionScript(program, shell));
    });
}
