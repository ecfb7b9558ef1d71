/**
 * A TLS failure in a kafkajs error's cause chain, in words that say what to fix. These are not outages:
 * a broker certificate this machine does not trust, or a broker that wants a client certificate, fails
 * the same way on every attempt, so a run stops at once instead of waiting out the unreachable budget.
 */
export interface KafkaTlsFailure {
  code: 'TLS_UNTRUSTED_CA' | 'TLS_CERT_EXPIRED' | 'TLS_WRONG_HOST' | 'TLS_CLIENT_CERT_REFUSED';
  message: string;
  hint: string;
}

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);
/** OpenSSL alerts a broker sends when it requires a client certificate and got none, or one it does not trust. */
const CLIENT_CERT_ALERT =
  /alert (bad certificate|certificate required|unknown ca|certificate unknown)|ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA|CERTIFICATE_UNKNOWN)/i;

export function kafkaTlsFailure(err: unknown): KafkaTlsFailure | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const k = e as { code?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
    const code = typeof k.code === 'string' ? k.code : '';
    const message = typeof k.message === 'string' ? k.message : '';
    if (UNTRUSTED.has(code) || /self[- ]signed certificate|unable to (verify|get) .*(certificate|issuer)/i.test(message)) {
      return {
        code: 'TLS_UNTRUSTED_CA',
        message: 'The broker’s certificate is signed by a certificate authority this machine does not trust (unknown CA)',
        hint: 'Add your CA certificate (PEM) to the destination’s TLS settings.',
      };
    }
    if (code === 'CERT_HAS_EXPIRED')
      return { code: 'TLS_CERT_EXPIRED', message: 'The broker’s certificate has expired', hint: 'Renew the certificate on the broker.' };
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
      return {
        code: 'TLS_WRONG_HOST',
        message: `The broker’s certificate is not for this host name (${message})`,
        hint: 'Connect with a host name the certificate names.',
      };
    if (CLIENT_CERT_ALERT.test(code) || CLIENT_CERT_ALERT.test(message)) {
      return {
        code: 'TLS_CLIENT_CERT_REFUSED',
        message: 'The broker refused the TLS connection: it requires a client certificate it trusts (mutual TLS), and none or another was given',
        hint: 'Add the client certificate (PEM) and its key to the destination’s TLS settings, signed by a CA the broker trusts.',
      };
    }
    e = k.cause ?? k.originalError;
  }
  return undefined;
}
