import { createPrivateKey, X509Certificate } from 'node:crypto';
import { usageError } from '../errors.js';

/**
 * The TLS files given on the command line, checked before any connection: a --cacert that is
 * not a certificate, a --key that does not belong to --cert, or a client certificate outside its
 * validity are the user's to fix (exit 2, naming the file), not a handshake failure to puzzle over.
 */
function certificate(flag: string, path: string, data: Buffer): X509Certificate {
  try {
    return new X509Certificate(data);
  } catch {
    throw usageError(
      `${flag} ${path} is not a certificate (PEM or DER)`,
      `give ${flag} the certificate file (-----BEGIN CERTIFICATE-----), not a key or another file`,
    );
  }
}

export function checkTlsFiles(
  paths: { cacert?: string; cert?: string; key?: string },
  files: { ca?: Buffer; cert?: Buffer; key?: Buffer },
  now: Date = new Date(),
): void {
  if (files.ca && paths.cacert) certificate('--cacert', paths.cacert, files.ca);
  if (!files.cert || !files.key || !paths.cert || !paths.key) return;
  const cert = certificate('--cert', paths.cert, files.cert);
  let key;
  try {
    key = createPrivateKey(files.key);
  } catch {
    throw usageError(`--key ${paths.key} is not a private key`, 'give --key the private key file of --cert');
  }
  if (!cert.checkPrivateKey(key))
    throw usageError(
      `--key ${paths.key} does not belong to --cert ${paths.cert} (key/certificate mismatch)`,
      'give the private key that was issued with this certificate',
    );
  if (new Date(cert.validTo) < now)
    throw usageError(`--cert ${paths.cert} expired on ${cert.validTo}`, 'renew the client certificate');
  if (new Date(cert.validFrom) > now)
    throw usageError(
      `--cert ${paths.cert} is not valid yet (from ${cert.validFrom})`,
      "check this machine's clock, or use a certificate that is valid now",
    );
}
