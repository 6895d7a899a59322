/**
 * Key names kept in memory between the counting pass and the deleting pass, compactly: each
 * SCAN batch becomes one Buffer of the names end to end plus their lengths. A Buffer per key
 * from the parser costs ~140 bytes (and pins socket chunks); this costs the key's bytes + 4.
 * A budget bounds the memory: past it the store stops keeping keys and says it is incomplete.
 */
/** Names end to end and their lengths. */
export interface KeyPack {
  data: Buffer;
  lengths: Uint32Array;
}

export function packKeys(keys: Buffer[]): KeyPack {
  const lengths = new Uint32Array(keys.length);
  keys.forEach((k, i) => (lengths[i] = k.length));
  return { data: Buffer.concat(keys), lengths };
}

export function unpackKeys(pack: KeyPack): Buffer[] {
  const keys: Buffer[] = [];
  let offset = 0;
  for (const len of pack.lengths) {
    keys.push(pack.data.subarray(offset, offset + len));
    offset += len;
  }
  return keys;
}

export class KeyStore {
  private readonly blocks: KeyPack[] = [];
  private used = 0;
  private kept = 0;
  private overflowed = false;

  constructor(private readonly budgetBytes: number) {}

  /** Keep a batch; returns false (and keeps nothing more, ever) once over budget. */
  add(keys: Buffer[]): boolean {
    if (this.overflowed) return false;
    let bytes = 0;
    for (const k of keys) bytes += k.length + 4;
    if (this.used + bytes > this.budgetBytes) {
      this.overflowed = true;
      return false;
    }
    this.blocks.push(packKeys(keys));
    this.used += bytes;
    this.kept += keys.length;
    return true;
  }

  /** Every key seen was kept: deleting these is deleting everything the count saw. */
  get complete(): boolean {
    return !this.overflowed;
  }

  get size(): number {
    return this.kept;
  }

  /** The kept keys as packs of at most `size` names (views, no copies): what encodePacked takes. */
  *packs(size: number): Generator<KeyPack> {
    for (const { data, lengths } of this.blocks) {
      let offset = 0;
      for (let i = 0; i < lengths.length; i += size) {
        const part = lengths.subarray(i, i + size);
        let bytes = 0;
        for (const len of part) bytes += len;
        yield { data: data.subarray(offset, offset + bytes), lengths: part };
        offset += bytes;
      }
    }
  }

  clear(): void {
    this.blocks.length = 0;
  }
}
