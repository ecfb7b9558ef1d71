import dns from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';
import type { CheckStep } from '../../shared/config/connection-test';

type StepName = CheckStep['step'];

/** A step that passed with a reservation the user should see (it does not fail the test). */
export interface StepWarning {
  warning: true;
  detail: string;
  hint?: string;
}

/** Runs steps in order; after the first failure, the rest are reported as skipped. */
export class StepRunner {
  readonly steps: CheckStep[] = [];
  private failed = false;

  get ok(): boolean {
    return !this.failed;
  }

  async run(
    step: StepName,
    work: () => Promise<string | StepWarning>,
    explain: (err: unknown) => { detail: string; hint?: string } = (err) => ({ detail: errorText(err) }),
  ): Promise<boolean> {
    if (this.failed) {
      this.steps.push({ step, status: 'skipped', detail: 'Not tried: an earlier step failed', ms: 0 });
      return false;
    }
    const started = Date.now();
    try {
      const outcome = await work();
      if (typeof outcome === 'string') this.steps.push({ step, status: 'ok', detail: outcome, ms: Date.now() - started });
      else this.steps.push({ step, status: 'warning', detail: outcome.detail, ...(outcome.hint ? { hint: outcome.hint } : {}), ms: Date.now() - started });
      return true;
    } catch (err) {
      this.failed = true;
      const { detail, hint } = explain(err);
      // The raw error when it says more than the words (a host that does not resolve was shown twice).
      const raw = rawError(err);
      this.steps.push({
        step,
        status: 'failed',
        detail,
        ...(hint ? { hint } : {}),
        ...(raw === '' || raw.endsWith(detail) ? {} : { raw }),
        ms: Date.now() - started,
      });
      return false;
    }
  }

  skip(step: StepName, detail: string): void {
    this.steps.push({ step, status: 'skipped', detail, ms: 0 });
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The error as thrown, its code or type first (a step's `raw`, shown when it says more than the step's words). */
export function rawError(err: unknown): string {
  const e = err as Error & { code?: string; name?: string; type?: string };
  const label = e.type ?? e.code ?? e.name;
  return label && !e.message?.startsWith(label) ? `${label}: ${e.message}` : (e.message ?? String(err));
}

export async function resolveHost(host: string): Promise<string> {
  if (net.isIP(host)) return `${host} is an IP address`;
  try {
    const addresses = await dns.lookup(host, { all: true });
    return `${host} → ${addresses.map((a) => a.address).join(', ')}`;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw Object.assign(new Error(`${host} does not resolve (${e.code ?? e.message})`), { code: e.code });
  }
}

export function tcpConnect(host: string, port: number, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve(`Connected to ${host}:${port} in ${Date.now() - started} ms`);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(Object.assign(new Error(`No answer from ${host}:${port} within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' }));
    });
    socket.once('error', (err) => reject(err));
  });
}

export function explainTcp(err: unknown): { detail: string; hint?: string } {
  const e = err as NodeJS.ErrnoException;
  // A broker whose host did not resolve (the others did): Name resolution said so already.
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return { detail: `Its host does not resolve (${e.code}; see Name resolution)` };
  if (e.code === 'ECONNREFUSED')
    return { detail: 'The connection was refused: nothing listens on that port', hint: 'Check the host and port, and that the service is running.' };
  if (e.code === 'ETIMEDOUT') return { detail: e.message, hint: 'A firewall, security group or VPN may be dropping the connection.' };
  // (Node's own words: "Port should be >= 0 and < 65536. Received type number (99999).")
  if (e.code === 'ERR_SOCKET_BAD_PORT') return { detail: 'That is not a port: a port is 1 to 65535', hint: 'Check the port in the address.' };
  return { detail: errorText(err) };
}

/** A TLS handshake that reports the certificate chain it was shown. */
export function tlsHandshake(host: string, port: number, ca: string[] | undefined, servername?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ...(ca ? { ca } : {}), servername: servername ?? (net.isIP(host) ? undefined : host), timeout: 5000 });
    socket.once('secureConnect', () => {
      const chain: string[] = [];
      let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      const seen = new Set<string>();
      while (cert && cert.subject && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        chain.push(String(cert.subject.CN ?? JSON.stringify(cert.subject)));
        cert = cert.issuerCertificate;
      }
      socket.destroy();
      resolve(`TLS ${socket.getProtocol() ?? ''} — certificate chain: ${chain.join(' ← ')}`);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('The TLS handshake did not finish within 5 s (does this port speak TLS?)'));
    });
    socket.once('error', (err) => reject(err));
  });
}

export function explainTls(err: unknown): { detail: string; hint?: string } {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return {
        detail: 'The server’s certificate is signed by a certificate authority this machine does not trust (unknown CA)',
        hint: 'Add your CA certificate (PEM) to the destination’s TLS settings.',
      };
    case 'CERT_HAS_EXPIRED':
      return { detail: 'The server’s certificate has expired', hint: 'Renew the certificate on the server.' };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { detail: `The certificate is not for this host name: ${e.message}`, hint: 'Connect with a host name the certificate names.' };
    case 'EPROTO':
    case 'ECONNRESET':
      return { detail: 'The server did not complete a TLS handshake', hint: 'This port may not speak TLS: check the port, or turn TLS off for it.' };
    default:
      return { detail: errorText(err) };
  }
}
