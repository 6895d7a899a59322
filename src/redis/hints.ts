/**
 * What a client sees → what to do about it (the texts are Redis's own replies, src/server.c and src/acl.c, and Node's errno codes). One table, used by doctor's
 * checks and by every command's connection errors.
 */
export interface Explained {
  /** A short name for the cause, e.g. "auth-missing". */
  cause: string;
  hint: string;
}

const table: Array<{ test: RegExp; cause: string; hint: string }> = [
  {
    test: /ERESPPROTOCOL|not valid RESP/,
    cause: 'protocol',
    hint: 'what came back is not the Redis protocol: check that this host and port is a Redis server (not a proxy, a load balancer or another service); a TLS port needs rediss://',
  },
  {
    test: /ENOTFOUND|EAI_AGAIN|getaddrinfo/i,
    cause: 'dns',
    hint: 'check the host name; inside docker compose use the service name, not localhost',
  },
  {
    test: /ECONNREFUSED/,
    cause: 'refused',
    hint: 'nothing is listening there: is Redis running on that host and port?',
  },
  {
    test: /EHOSTUNREACH|ENETUNREACH/,
    cause: 'unreachable',
    hint: 'no route to the host: check the network, VPN or VPC (ElastiCache has no public endpoint)',
  },
  {
    test: /ETIMEDOUT|timed? ?out/i,
    cause: 'timeout',
    hint: 'no answer in time: a firewall or security group may drop the traffic (ElastiCache is reachable only from inside its VPC), or a TLS client is talking to a plaintext port',
  },
  {
    test: /ECONNRESET|socket hang up|Connection is closed/i,
    cause: 'reset',
    hint: 'the server closed the connection: if it expects TLS, use rediss://',
  },
  {
    test: /SELF_SIGNED|self[- ]signed|unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to get local issuer/i,
    cause: 'tls-ca',
    hint: 'the server certificate is signed by a CA this machine does not trust: pass it with --cacert <file> (do not disable verification)',
  },
  {
    test: /ERR_TLS_CERT_ALTNAME_INVALID|Hostname\/IP does not match|altnames/i,
    cause: 'tls-name',
    hint: 'the certificate is not for this host name: connect by the name on the certificate or set --sni <name>',
  },
  {
    test: /CERTIFICATE_REQUIRED|certificate required|SSLV3_ALERT_HANDSHAKE_FAILURE|ALERT_BAD_CERTIFICATE|closed the connection right after the TLS handshake/i,
    cause: 'tls-client-cert',
    hint: 'the server wants a client certificate (tls-auth-clients yes): pass --cert <file> --key <file>',
  },
  {
    test: /CERT_NOT_YET_VALID|certificate is not yet valid/i,
    cause: 'tls-not-yet-valid',
    hint: 'the server certificate is not valid yet (its start date is in the future): check the clocks of this machine and the server, or reissue the certificate',
  },
  {
    test: /key values mismatch|KEY_VALUES_MISMATCH/i,
    cause: 'tls-key-mismatch',
    hint: 'the --key does not belong to the --cert: give the private key issued with that certificate',
  },
  {
    test: /^BUSY|BUSY Redis is busy/,
    cause: 'busy',
    hint: 'a Lua script or function has run longer than busy-reply-threshold: wait for it, or SCRIPT KILL / FUNCTION KILL if it has not written (SHUTDOWN NOSAVE otherwise)',
  },
  {
    test: /max number of clients reached/i,
    cause: 'maxclients',
    hint: 'the server is at maxclients and refuses new connections: look for a connection leak (a client per request instead of one shared client) or raise maxclients',
  },
  {
    test: /CERT_HAS_EXPIRED|certificate has expired/i,
    cause: 'tls-expired',
    hint: 'the server certificate has expired: renew it on the server',
  },
  {
    test: /WRONG_VERSION_NUMBER|wrong version number|packet length too long|EPROTO/i,
    cause: 'tls-mismatch',
    hint: 'the server does not speak TLS on this port: use redis:// instead of rediss://',
  },
  {
    test: /NOAUTH|must be called with the client already authenticated|Authentication required/i,
    cause: 'auth-missing',
    hint: 'the server needs a password: put it in the URL (redis://:password@host) or set REDIS_PASSWORD',
  },
  {
    test: /WRONGPASS|invalid password|invalid username-password/i,
    cause: 'auth-wrong',
    hint: 'wrong user or password (Upstash read-only user is default_ro; ElastiCache RBAC needs the user name in the URL)',
  },
  {
    test: /NOPERM/,
    cause: 'acl',
    hint: 'this ACL user may not run that command: grant it or use another user',
  },
  {
    test: /DENIED.*protected mode/is,
    cause: 'protected-mode',
    hint: 'the server runs in protected mode (no password, not loopback): set a password with requirepass, or bind it to 127.0.0.1',
  },
  {
    test: /^LOADING|LOADING Redis is loading/,
    cause: 'loading',
    hint: 'Redis is loading its dataset after a restart: wait and retry (doctor --wait)',
  },
  {
    test: /^MISCONF|MISCONF/,
    cause: 'misconf',
    hint: 'Redis cannot persist to disk, so it refuses writes: check disk space and permissions of its dir',
  },
  {
    test: /MOVED \d+/,
    cause: 'moved',
    hint: 'this is a cluster: use cluster mode (--cluster; ioredis new Redis.Cluster)',
  },
  {
    test: /CROSSSLOT/,
    cause: 'crossslot',
    hint: 'keys of one command must hash to one slot: use per-key commands or {hash tags}',
  },
  {
    test: /OOM command not allowed/,
    cause: 'oom',
    hint: 'memory is full under noeviction: raise maxmemory or free keys',
  },
  { test: /READONLY/, cause: 'readonly', hint: 'this is a read-only replica: use the primary endpoint' },
  {
    test: /max concurrent connections exceeded|DB capacity quota exceeded|max request size exceeded/i,
    cause: 'provider-limit',
    hint: 'a provider plan limit was hit: upgrade the plan or reduce usage',
  },
  {
    test: /unknown command/i,
    cause: 'unknown-command',
    hint: 'the server or provider does not offer this command (ElastiCache blocks CONFIG; read settings from INFO)',
  },
];

/**
 * `source`: where the target came from, so a missing password is asked for where the user
 * gave the target (a URL, REDIS_PASSWORD, -a), not always as REDIS_PASSWORD.
 */
export function explainError(err: unknown, source?: string): Explained {
  const text = errorText(err);
  for (const row of table)
    if (row.test.test(text)) {
      if (row.cause === 'auth-missing' && source !== undefined)
        return { cause: row.cause, hint: authHint(source) };
      return { cause: row.cause, hint: row.hint };
    }
  return { cause: 'unknown', hint: 'see the message above; run redis-ops doctor for a step-by-step check' };
}

/** The message and code of an error, as one string (codes carry most of the meaning). */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

function authHint(source: string): string {
  if (source === 'REDIS_URL')
    return 'the server needs a password: REDIS_URL has none; add it (redis://:password@host:port)';
  if (source === 'REDIS_HOST')
    return 'the server needs a password: set REDIS_PASSWORD (and REDIS_USERNAME for an ACL user)';
  if (source === 'flag')
    return 'the server needs a password: add it to the URL (redis://:password@host:port), or give --askpass';
  return 'the server needs a password: give a URL with it (--url redis://:password@host:port), --askpass, or set REDIS_PASSWORD';
}
