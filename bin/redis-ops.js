#!/usr/bin/env -S node --
// "node --": Node 20 itself reads --env-file anywhere in argv (and exits 9 when the file is
// missing); the "--" keeps our own --env-file flag ours.
import '../dist/cli.js';
