import { DCLinter } from 'dclint';

/**
 * The real Compose validator: dclint checks the file against the official Compose JSON schema
 * (always on, cannot be disabled), then its lint rules. Rules that matter for what init writes
 * stay on: no-version-field, no-unbound-port-interfaces, service-image-require-explicit-tag,
 * no-duplicate-exported-ports, no-duplicate-container-names, require-quotes-in-ports (double
 * quotes, as in the Compose docs), service-keys-order. Off: require-project-name-field (a
 * choice for the project, not for init). For a user's file, the ordering rules are off too:
 * init keeps the user's order on purpose.
 */
// One linter per configuration: building one compiles the Compose schema, the slow part.
const linters = new Map<string, DCLinter>();

export function lintCompose(
  file: string,
  opts: { userFile?: boolean; quote?: 'single' | 'double' } = {},
): string[] {
  const order = opts.userFile ? 0 : 2;
  const key = `${order}:${opts.quote ?? 'double'}`;
  const linter =
    linters.get(key) ??
    new DCLinter({
      rules: {
        'require-project-name-field': 0,
        'require-quotes-in-ports': [2, { quoteType: opts.quote ?? 'double' }],
        'service-keys-order': order,
        'services-alphabetical-order': 0,
        'top-level-properties-order': order,
        'service-ports-alphabetical-order': order,
        'service-dependencies-alphabetical-order': order,
      },
      quiet: true,
      debug: false,
      exclude: [],
    });
  linters.set(key, linter);
  const results = linter.lintFiles([file], false) as Array<{
    messages: Array<{ rule: string; message: string }>;
  }>;
  return results.flatMap((r) => r.messages.map((m) => `${m.rule}: ${m.message}`));
}
