// A Kafka connection whose first answer is not Kafka's framing (an HTTP server, SSH, a TLS listener
// reached without TLS that answers with an alert): failed at once, in words that say what answered.
import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

/** The code of the error a connection fails with when its first answer is not Kafka's (kafkajs keeps it on its connection error). */
export const NOT_KAFKA = 'SLUICE_NOT_KAFKA';

/**
 * The largest first answer taken for Kafka's: a Kafka answer starts with its size, and the first on a
 * connection is ApiVersions', a SASL step's or (on a reconnect) a request's, far below this. Text starts
 * at 0x20 (512 MiB and up), a TLS alert at 0x15 (352 MiB and up).
 */
const MAX_FIRST_ANSWER = 256 * 1024 * 1024;
/** Bytes of a foreign answer quoted. */
const QUOTED = 40;
/** kafkajs' own keep-alive for its sockets (its default socket factory's). */
const KEEP_ALIVE_MS = 60_000;

/**
 * Watches a new connection's first answer: when its first four bytes are no size a Kafka answer could
 * have, the connection is destroyed with an error saying what answered. kafkajs read them as the size
 * of an answer (an HTTP server's "HTTP" as 1.2 GB) and waited for the rest up to its request timeout
 * (30 s), then said the broker did not answer in time.
 */
export function watchFirstAnswer(socket: net.Socket, address: string): void {
  let head: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = head.length ? Buffer.concat([head, chunk]) : chunk;
    if (head.length < 4) return;
    socket.off('data', onData);
    const size = head.readInt32BE(0);
    if (size < 4 || size > MAX_FIRST_ANSWER) socket.destroy(Object.assign(new Error(notKafkaWords(address, head)), { code: NOT_KAFKA }));
  };
  socket.on('data', onData);
}

/** kafkajs' default socket factory (plain or TLS, with its keep-alive), each socket's first answer watched. */
export const checkedSocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect) : net.connect({ host, port }, onConnect);
  socket.setKeepAlive(true, KEEP_ALIVE_MS);
  watchFirstAnswer(socket, `${host}:${port}`);
  return socket;
};

/** What answered, from its first bytes. */
export function notKafkaWords(address: string, head: Buffer): string {
  const began = quote(head.subarray(0, QUOTED));
  const what =
    head[0] === 0x15 && head[1] === 0x03
      ? 'a TLS alert: this listener expects TLS (turn TLS on for this destination, or use the plaintext listener’s port)'
      : /^HTTP\/\d/.test(head.toString('latin1', 0, 6))
        ? 'an HTTP server: this address is no Kafka listener (check the port; Kafka’s is usually 9092, or 9093/9094/9096/9098 for TLS, SASL or IAM)'
        : 'another service: this address is no Kafka listener (check the host and port), or it expects TLS or SASL';
  return `${address} answered in something other than Kafka’s protocol (its answer began "${began}"), ${what}`;
}

/** Bytes as printable text, others as \xNN; an answer that starts as text is cut at its first line's end. */
function quote(bytes: Buffer): string {
  const printable = (b: number) => b >= 0x20 && b < 0x7f;
  const lines = printable(bytes[0]!);
  let text = '';
  for (const b of bytes) {
    if (lines && (b === 0x0d || b === 0x0a)) break;
    text += printable(b) && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return text;
}

/** The words of a foreign answer in a kafkajs error's cause chain (`watchFirstAnswer`), if it holds one. */
export function foreignAnswer(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const k = e as { code?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
    if (k.code === NOT_KAFKA && typeof k.message === 'string') return k.message.replace(/^Connection error: /, '');
    e = k.cause ?? k.originalError;
  }
  return undefined;
}
