import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requireTool } from './requirements';

export interface ThrowawayPki {
  dir: string;
  /** The CA a client must be given to trust the server ("bring your own CA"). */
  caPem: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  /** The server's certificate, key and CA chain as PKCS#12 (for Java). */
  serverP12File: string;
  p12Password: string;
  /** A client certificate signed by the same CA, for mutual TLS. */
  clientCertPem: string;
  clientKeyPem: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA made for this test run, a server certificate for localhost/127.0.0.1 and a client certificate. */
export function createThrowawayPki(dir: string, commonName = 'Sluice Test CA'): ThrowawayPki {
  requireTool('openssl', 'The TLS test peers');
  fs.mkdirSync(dir, { recursive: true });
  const p12Password = 'sluice-test-keystore';
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3', '-subj', `/CN=${commonName}`]);
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '3',
    '-extfile',
    'server.ext',
  ]);
  openssl(dir, [
    'pkcs12',
    '-export',
    '-in',
    'server.pem',
    '-inkey',
    'server.key',
    '-certfile',
    'ca.pem',
    '-out',
    'server.p12',
    '-passout',
    `pass:${p12Password}`,
    '-name',
    'server',
  ]);
  fs.writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=sluice-client']);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'client.pem',
    '-days',
    '3',
    '-extfile',
    'client.ext',
  ]);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  return {
    dir,
    caPem: read('ca.pem'),
    caFile: path.join(dir, 'ca.pem'),
    serverCertFile: path.join(dir, 'server.pem'),
    serverKeyFile: path.join(dir, 'server.key'),
    serverP12File: path.join(dir, 'server.p12'),
    p12Password,
    clientCertPem: read('client.pem'),
    clientKeyPem: read('client.key'),
  };
}
