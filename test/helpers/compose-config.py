# Runs `docker-compose config -q` (Compose v1, Debian's docker-compose package) in each project
# directory given, in one Python process: the same code path as the command, without paying
# the interpreter start-up once per file. Prints "<dir>\t<exit code>" per directory.
import io
import os
import sys
from contextlib import redirect_stderr

from compose.cli.main import main

for d in sys.argv[1:]:
    os.chdir(d)
    sys.argv = ['docker-compose', '-f', 'compose.yaml', 'config', '-q']
    err = io.StringIO()
    code = 0
    with redirect_stderr(err):
        try:
            main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
    msg = err.getvalue().strip().replace('\n', ' | ')[:300]
    print(f"{d}\t{code}\t{msg}", flush=True)
