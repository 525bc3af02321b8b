import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface LoopbackCertificate {
  /** PEM file to trust in a spawned service (`NODE_EXTRA_CA_CERTS`). */
  certPath: string;
  key: Buffer;
  cert: Buffer;
  remove(): void;
}

/** A self-signed certificate for 127.0.0.1 (openssl), for https receivers on loopback. */
export function loopbackCertificate(): LoopbackCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'harmony-tls-'));
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath],
    { stdio: 'ignore' },
  );
  return { certPath, key: readFileSync(keyPath), cert: readFileSync(certPath), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
