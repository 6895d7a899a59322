import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Certificates made by the tests with openssl (EC keys: fast): a CA, a server certificate for
 * localhost/127.0.0.1, one that expires in 10 days, and one for the wrong host name.
 */
export interface TestCerts {
  dir: string;
  ca: string;
  caKey: string;
  server: { cert: string; key: string };
  shortLived: { cert: string; key: string };
  wrongHost: { cert: string; key: string };
  client: { cert: string; key: string };
}

function run(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

function issue(
  dir: string,
  name: string,
  cn: string,
  san: string,
  days: number,
): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(
    ext,
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n`,
  );
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], dir);
  run(['req', '-new', '-key', key, '-subj', `/CN=${cn}`, '-out', csr], dir);
  run(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      String(days),
      '-extfile',
      ext,
      '-out',
      cert,
    ],
    dir,
  );
  return { cert, key };
}

export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'redis-ops-certs-'));
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key'], dir);
  run(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      '/CN=redis-ops test CA',
      '-days',
      '30',
      '-out',
      'ca.crt',
    ],
    dir,
  );
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    server: issue(dir, 'server', 'localhost', 'DNS:localhost,IP:127.0.0.1', 365),
    shortLived: issue(dir, 'short', 'localhost', 'DNS:localhost,IP:127.0.0.1', 10),
    wrongHost: issue(dir, 'wrong', 'wrong.example', 'DNS:wrong.example', 365),
    client: issue(dir, 'client', 'redis-ops client', 'DNS:client', 365),
  };
}
