/**
 * Key names kept in memory between the counting pass and the deleting pass, compactly: each
 * SCAN batch becomes one Buffer of the names end to end plus their lengths. A Buffer per key
 * from the parser costs ~140 bytes (and pins socket chunks); this costs the key's bytes + 4.
 * A budget bounds the memory: past it the store stops keeping keys and says it is incomplete.
 */
export class KeyStore {
  private readonly blocks: Array<{ data: Buffer; lengths: Uint32Array }> = [];
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
    const lengths = new Uint32Array(keys.length);
    keys.forEach((k, i) => (lengths[i] = k.length));
    this.blocks.push({ data: Buffer.concat(keys), lengths });
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

  /** The kept keys again, in batches of at most `size` (views into the blocks, no copies). */
  *batches(size: number): Generator<Buffer[]> {
    let out: Buffer[] = [];
    for (const { data, lengths } of this.blocks) {
      let offset = 0;
      for (const len of lengths) {
        out.push(data.subarray(offset, offset + len));
        offset += len;
        if (out.length >= size) {
          yield out;
          out = [];
        }
      }
    }
    if (out.length > 0) yield out;
  }

  clear(): void {
    this.blocks.length = 0;
  }
}
