import { Command, type Redis } from 'ioredis';

/**
 * One command with many key arguments, encoded to RESP straight from packed key bytes (a
 * KeyStore block: names end to end plus their lengths). ioredis would first make a Buffer per
 * key and then re-encode each one; for a million keys that is most of flush's client time.
 */
class PreEncodedCommand extends Command {
  constructor(
    name: string,
    private readonly payload: Buffer,
  ) {
    super(name, [], { replyEncoding: null });
  }

  override toWritable(): Buffer {
    return this.payload;
  }
}

export function encodeCommand(name: string, data: Buffer, lengths: Uint32Array): Buffer {
  let size = `*${lengths.length + 1}\r\n$${name.length}\r\n${name}\r\n`.length;
  for (const len of lengths) size += String(len).length + 5 + len; // $<len>\r\n<key>\r\n
  const out = Buffer.allocUnsafe(size);
  let at = out.write(`*${lengths.length + 1}\r\n$${name.length}\r\n${name}\r\n`, 0, 'latin1');
  let from = 0;
  for (const len of lengths) {
    at += out.write(`$${len}\r\n`, at, 'latin1');
    at += data.copy(out, at, from, from + len);
    from += len;
    out[at++] = 0x0d;
    out[at++] = 0x0a;
  }
  return out;
}

/** Send `name key...` for packed keys; resolves with the integer reply. */
export function sendPacked(node: Redis, name: string, data: Buffer, lengths: Uint32Array): Promise<unknown> {
  const command = new PreEncodedCommand(name, encodeCommand(name, data, lengths));
  return node.sendCommand(command) as Promise<unknown>;
}
