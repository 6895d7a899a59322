/**
 * What a write does to its key's TTL. Which arguments are keys comes from the server's key
 * specs; what a command does to a TTL is not in the command table, so the few commands that
 * set or drop one are named here (their documented options). Everything else that writes
 * either replaces the value (key spec OW: the old TTL is gone) or keeps the TTL it had.
 */
export type TtlEffect = 'set' | 'clear' | 'keep';

const setsTtl = new Set(['setex', 'psetex', 'expire', 'pexpire', 'expireat', 'pexpireat']);
const dropsTtl = new Set(['persist', 'getset', 'setnx', 'mset', 'msetnx']);
const ttlOptions = new Set(['ex', 'px', 'exat', 'pxat']);

function hasOption(args: Buffer[], from: number, names: Set<string>): boolean {
  for (let i = from; i < args.length; i++) {
    const a = args[i] as Buffer;
    if (a.length <= 7 && names.has(a.toString('latin1').toLowerCase())) return true;
  }
  return false;
}

export function ttlEffect(name: string, args: Buffer[], overwrite: boolean): TtlEffect {
  if (setsTtl.has(name)) return 'set';
  if (dropsTtl.has(name)) return 'clear';
  if (name === 'set') {
    // SET key value [NX|XX] [GET] [EX s|PX ms|EXAT t|PXAT t|KEEPTTL]
    if (hasOption(args, 3, ttlOptions)) return 'set';
    if (hasOption(args, 3, new Set(['keepttl']))) return 'keep';
    return 'clear';
  }
  if (name === 'getex') {
    if (hasOption(args, 2, ttlOptions)) return 'set';
    if (hasOption(args, 2, new Set(['persist']))) return 'clear';
    return 'keep';
  }
  return overwrite ? 'clear' : 'keep';
}
