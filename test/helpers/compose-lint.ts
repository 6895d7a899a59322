import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import { DCLinter } from 'dclint';

// dclint's validateFile builds a new Ajv and compiles the Compose schema (the same object each
// time) for every file: ~0.2 s a file, most of a corpus run. Compiled once per schema object,
// the validator is the same, so every file and variant can be linted (same verdicts, ~100× less).
const compiled = new WeakMap<object, ValidateFunction>();
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with the instance below
const compileOnce = Ajv.prototype.compile;
const memoized = function (this: Ajv, schema: AnySchema, meta?: boolean): ValidateFunction {
  if (typeof schema !== 'object') return compileOnce.call(this, schema, meta);
  let v = compiled.get(schema);
  if (!v) {
    v = compileOnce.call(this, schema, meta);
    compiled.set(schema, v);
  }
  return v;
};
Ajv.prototype.compile = memoized as typeof Ajv.prototype.compile;

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
  return lintComposeFiles([file], opts)[0] ?? [];
}

/** Many files with one linter call: the messages of each, in order. */
export function lintComposeFiles(
  files: string[],
  opts: { userFile?: boolean; quote?: 'single' | 'double' } = {},
): string[][] {
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
  const results = linter.lintFiles(files, false) as Array<{
    filePath: string;
    messages: Array<{ rule: string; message: string }>;
  }>;
  const byPath = new Map(results.map((r) => [r.filePath, r.messages.map((m) => `${m.rule}: ${m.message}`)]));
  return files.map((f) => byPath.get(f) ?? []);
}
