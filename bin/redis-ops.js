#!/bin/sh
":" //; exec node -- "$0" "$@"
// A file that is both a sh script and an ES module. sh runs line 2: `":"` is a no-op and
// `exec node -- "$0" "$@"` starts Node on this same file; Node skips line 1 (a hashbang) and
// reads line 2 as a string and a comment, then imports the CLI.
//
// Why not `#!/usr/bin/env node`: Node 20 looks for --env-file anywhere in its argv up to a `--`,
// after the script name too (GetPathFromArgs in src/node_dotenv.cc), so `redis-ops doctor
// --env-file .env.ci` with a missing file died with Node's own "node: .env.ci: not found", exit 9
// (checked on Node 20.20). The `--` keeps our --env-file ours. Why not `#!/usr/bin/env -S node --`:
// `env -S` is GNU/BSD only; busybox env (Alpine images, a common CI base) has no -S and fails.
// `node` is looked up on PATH, as `env node` did. test/e2e/bin.test.ts runs this file under
// busybox sh with busybox's env and tools first on PATH.
import '../dist/cli.js';
