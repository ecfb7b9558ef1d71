import type { ApiCallDetail } from './api-call';
import { recordedText } from './recorded-text';

/** A Kafka connection's security settings as recorded with a call: what is on, never a secret. */
export interface KafkaSecurity {
  tls: boolean;
  /** A CA certificate of its own is set (not the system's). */
  ca: boolean;
  /** A client certificate is set (mTLS). */
  clientCert: boolean;
  /** The broker's certificate is checked. */
  verify: boolean;
  sasl: { mechanism: string; username?: string } | null;
}

/** A shell command that makes a recorded call again, and what it cannot reproduce exactly. */
export interface CopyCommand {
  command: string;
  /** What the command leaves out or changes (record data only previewed, placeholders to fill in…). */
  notes: string[];
}

/** The fields of a call these commands read. */
export type CopyableCall = Pick<ApiCallDetail, 'service' | 'operation' | 'target' | 'request' | 'response' | 'transport'>;

/** Environment variables the commands use in place of secrets: set them before running the command. */
export const PLACEHOLDERS = {
  kafkaPassword: 'KAFKA_PASSWORD',
  kafkaCaFile: 'KAFKA_CA_FILE',
  kafkaCertFile: 'KAFKA_CERT_FILE',
  kafkaKeyFile: 'KAFKA_KEY_FILE',
} as const;

const REDACTED = '[redacted]';

/** Quotes a word for a POSIX shell (single quotes; a single quote becomes '\''). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `PutRecordBatch` → `put-record-batch`, as the AWS CLI names operations. */
export function kebabCase(operation: string): string {
  return operation
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How the recorder summarises bytes (`summariseBytes`): size, a preview (cut with `…`), its encoding. */
interface BinarySummary {
  bytes: number;
  preview: string;
  encoding: 'utf8' | 'base64';
}

function isBinarySummary(v: unknown): v is BinarySummary {
  return (
    isObject(v) &&
    Object.keys(v).length === 3 &&
    typeof v.bytes === 'number' &&
    typeof v.preview === 'string' &&
    (v.encoding === 'utf8' || v.encoding === 'base64')
  );
}

/** How the recorder summarises a long array: its length and first items. */
function isArraySummary(v: unknown): v is { count: number; first: unknown[] } {
  return isObject(v) && Object.keys(v).length === 2 && typeof v.count === 'number' && Array.isArray(v.first);
}

const utf8Bytes = (s: string) => new TextEncoder().encode(s);

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function base64Length(b64: string): number {
  try {
    return atob(b64).length;
  } catch {
    return -1;
  }
}

/** The bytes a preview stands for, and whether they are all of them. */
function previewBytes(s: BinarySummary): { text: string; complete: boolean } {
  if (s.encoding === 'utf8') {
    if (utf8Bytes(s.preview).length === s.bytes) return { text: s.preview, complete: true };
    const cut = s.preview.endsWith('…') ? s.preview.slice(0, -1) : s.preview;
    return { text: cut, complete: false };
  }
  if (base64Length(s.preview) === s.bytes) return { text: s.preview, complete: true };
  const cut = s.preview.endsWith('…') ? s.preview.slice(0, -1) : s.preview;
  return { text: cut, complete: false };
}

/** Recorded AWS parameters back to CLI input: record data as base64, summarised arrays as their recorded items. */
function cliInput(value: unknown, path: string, notes: Set<string>): unknown {
  if (isBinarySummary(value)) {
    const { text, complete } = previewBytes(value);
    if (!complete)
      notes.add(
        `Record data was recorded as a preview (${value.encoding === 'utf8' ? 200 : 'the first'} characters): ${path} sends the preview, not the ${value.bytes} bytes Sluice sent.`,
      );
    return value.encoding === 'utf8' ? toBase64(utf8Bytes(text)) : text;
  }
  if (isArraySummary(value)) {
    notes.add(`Only the first ${value.first.length} of the ${value.count} items of ${path} were recorded: the command sends those.`);
    return value.first.map((v, i) => cliInput(v, `${path}[${i}]`, notes));
  }
  if (Array.isArray(value)) return value.map((v, i) => cliInput(v, `${path}[${i}]`, notes));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cliInput(v, path ? `${path}.${k}` : k, notes)]));
  if (value === REDACTED) notes.add(`${path} was recorded as ${REDACTED}: fill it in.`);
  else if (typeof value === 'string' && /… \(\d+ characters\)$/.test(value)) notes.add(`${path} was recorded shortened: fill in the whole value.`);
  return value;
}

/** Hosts that are AWS's own public endpoints (the CLI finds them from the region). */
function isAwsEndpoint(host: string): boolean {
  return /(^|\.)amazonaws\.com(\.cn)?$|\.api\.aws$/.test(host) && !/\.vpce\./.test(host);
}

/**
 * The AWS CLI (version 2) command for a recorded AWS call: service, operation in kebab-case, region,
 * `--endpoint-url` when the endpoint is not AWS's, the recorded parameters as `--cli-input-json`
 * (record data base64-encoded, the CLI's default). Credentials are never part of it: the CLI uses
 * its own profile. Null for a call that is not an AWS call.
 */
export function asAwsCli(call: CopyableCall): CopyCommand | null {
  if (call.service === 'kafka') return null;
  const notes = new Set<string>();
  const [region, endpoint] = call.target.split(' ');
  const words = ['aws', call.service, kebabCase(call.operation)];
  if (region) words.push('--region', region);
  let host = '';
  try {
    host = endpoint ? new URL(endpoint).hostname : '';
  } catch {
    host = '';
  }
  if (endpoint && host && !isAwsEndpoint(host)) words.push('--endpoint-url', endpoint);
  const input = isObject(call.request) ? (cliInput(call.request, '', notes) as Record<string, unknown>) : {};
  if (Object.keys(input).length) words.push('--cli-input-json', JSON.stringify(input));
  if (JSON.stringify(input).includes('"Data"')) notes.add('Record data is given base64-encoded, as the AWS CLI version 2 reads it by default.');
  return { command: words.map(shellQuote).join(' '), notes: [...notes] };
}

const MECHANISMS: Record<string, string> = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
  oauthbearer: 'OAUTHBEARER',
  aws: 'OAUTHBEARER',
};

function isSecurity(v: unknown): v is KafkaSecurity {
  return isObject(v) && typeof v.tls === 'boolean' && (v.sasl === null || isObject(v.sasl));
}

/** A command word: text, or text ending in an environment variable the shell expands (`sasl.password="$KAFKA_PASSWORD"`). */
type Word = string | { prefix: string; variable: string };

const env = (prefix: string, variable: string): Word => ({ prefix, variable });

function renderWord(word: Word): string {
  return typeof word === 'string' ? shellQuote(word) : `${word.prefix ? shellQuote(word.prefix) : ''}"$${word.variable}"`;
}

/** `-X` options for the connection's security, secrets as environment variables (`"$KAFKA_PASSWORD"`). */
function securityWords(security: KafkaSecurity | undefined, notes: Set<string>): Word[] {
  if (!security) {
    notes.add('This call was recorded without its connection settings: add -X options for TLS and SASL if the destination uses them.');
    return [];
  }
  const words: Word[] = [];
  const x = (setting: Word) => words.push('-X', setting);
  const sasl = security.sasl;
  const protocol = security.tls ? (sasl ? 'SASL_SSL' : 'SSL') : sasl ? 'SASL_PLAINTEXT' : null;
  if (protocol) x(`security.protocol=${protocol}`);
  if (sasl) {
    const mechanism = MECHANISMS[sasl.mechanism] ?? sasl.mechanism.toUpperCase();
    x(`sasl.mechanisms=${mechanism}`);
    if (sasl.mechanism === 'aws')
      notes.add(
        'Sluice logs in to MSK with IAM as SASL/OAUTHBEARER with a signed token, which kcat cannot make: use a client with the MSK IAM signer (aws-msk-iam-auth), or a SCRAM user.',
      );
    else if (sasl.mechanism === 'oauthbearer') notes.add('Give kcat an OAuth token with -X sasl.oauthbearer.config=…');
    else {
      if (sasl.username !== undefined) x(`sasl.username=${sasl.username}`);
      x(env('sasl.password=', PLACEHOLDERS.kafkaPassword));
      notes.add(`Set ${PLACEHOLDERS.kafkaPassword} to the destination's password first.`);
    }
    if (sasl.mechanism.startsWith('scram')) notes.add('kcat built with librdkafka older than 2.6.1 cannot log in with SCRAM to Kafka 4 brokers.');
  }
  if (security.tls && security.ca) {
    x(env('ssl.ca.location=', PLACEHOLDERS.kafkaCaFile));
    notes.add(`Set ${PLACEHOLDERS.kafkaCaFile} to a file holding the destination's CA certificate.`);
  }
  if (security.tls && security.clientCert) {
    x(env('ssl.certificate.location=', PLACEHOLDERS.kafkaCertFile));
    x(env('ssl.key.location=', PLACEHOLDERS.kafkaKeyFile));
    notes.add(`Set ${PLACEHOLDERS.kafkaCertFile} and ${PLACEHOLDERS.kafkaKeyFile} to files holding the client certificate and its key.`);
  }
  if (security.tls && !security.verify) x('enable.ssl.certificate.verification=false');
  return words;
}

interface RecordedMessage {
  key: string | null;
  partition: number | null;
  headers: unknown;
  value: unknown;
}

function messagesOf(request: Record<string, unknown>): { first: RecordedMessage[]; count: number } {
  const m = request.messages;
  if (isObject(m) && Array.isArray(m.first)) return { first: m.first as RecordedMessage[], count: typeof m.count === 'number' ? m.count : m.first.length };
  return { first: [], count: 0 };
}

/** One kcat command producing one recorded message: the value on standard input, key, partition, headers as options. */
function produceCommand(base: Word[], message: RecordedMessage, index: number, notes: Set<string>): string {
  const words = [...base];
  if (typeof message.partition === 'number') words.push('-p', String(message.partition));
  else {
    words.push('-X', 'topic.partitioner=murmur2_random');
    notes.add('Messages without a recorded partition are placed by murmur2 (as Sluice and the Java client do).');
  }
  const key = message.key === null ? null : recordedText(message.key, `Message ${index + 1}'s key`, '-k', notes);
  const headers = isObject(message.headers) ? message.headers : {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') continue;
    if (value === REDACTED) {
      const variable = `KAFKA_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
      words.push('-H', env(`${name}=`, variable));
      notes.add(`The ${name} header was not recorded: set ${variable}.`);
    } else words.push('-H', `${name}=${recordedText(value, `Message ${index + 1}'s ${name} header`, '-H', notes)}`);
  }
  words.push('-D', '\\x1e');
  let input: string;
  if (message.value === null) {
    // A tombstone: the key, the key delimiter and no value, sent as NULL (-Z).
    words.push('-K', '\\x1f', '-Z');
    input = `printf '%s\\x1f' ${shellQuote(key ?? '')}`;
  } else {
    if (key !== null) words.push('-k', key);
    const value = isBinarySummary(message.value) ? message.value : null;
    if (!value) return `# message ${index + 1}: its value was not recorded`;
    const { text, complete } = previewBytes(value);
    if (!complete)
      notes.add(`Message ${index + 1}'s value was recorded as a preview: the command sends the preview, not the ${value.bytes} bytes Sluice sent.`);
    input = value.encoding === 'utf8' ? `printf '%s' ${shellQuote(text)}` : `printf '%s' ${shellQuote(text)} | base64 -d`;
  }
  return `${input} | ${words.map(renderWord).join(' ')}`;
}

/**
 * The kcat command for a recorded Kafka call: brokers, the connection's security as `-X` options
 * (secrets as environment variables, never their values), and for a Produce one command per recorded
 * message (`-t`, `-p`, `-k`, `-H`, the value on standard input). Other requests have no kcat
 * equivalent of their own: their command lists the cluster's metadata over the same connection.
 * Null for a call that is not a Kafka call.
 */
export function asKcat(call: CopyableCall): CopyCommand | null {
  if (call.service !== 'kafka') return null;
  const notes = new Set<string>();
  const request = isObject(call.request) ? call.request : {};
  const transport = isObject(call.transport) ? call.transport : {};
  const brokers = Array.isArray(request.brokers)
    ? request.brokers.filter((b): b is string => typeof b === 'string')
    : call.target.split(/,\s*/).filter(Boolean);
  const security = securityWords(isSecurity(transport.security) ? transport.security : undefined, notes);
  const topic = typeof request.topic === 'string' ? request.topic : undefined;

  if (call.operation === 'Produce' && topic !== undefined) {
    const base: Word[] = ['kcat', '-P', '-b', brokers.join(','), ...security, '-t', topic];
    if (typeof request.acks === 'number' && request.acks !== -1) base.push('-X', `acks=${request.acks}`);
    if (request.compression === 'gzip') base.push('-z', 'gzip');
    const { first, count } = messagesOf(request);
    if (count > first.length) notes.add(`Only the first ${first.length} of the ${count} messages were recorded: one command for each of those.`);
    const lines = first.map((m, i) => produceCommand(base, m, i, notes));
    return { command: lines.join('\n'), notes: [...notes] };
  }

  const words: Word[] = ['kcat', '-L', '-b', brokers.join(','), ...security];
  const answered =
    isObject(call.response) && Array.isArray(call.response.errors)
      ? (call.response.errors as { topic?: unknown }[]).find((e) => typeof e.topic === 'string')?.topic
      : undefined;
  if (typeof answered === 'string') words.push('-t', answered);
  if (call.operation !== 'Metadata')
    notes.add(
      `kcat has no command for one ${call.operation} request: this lists the cluster's metadata over the same connection (ApiVersions, the login, Metadata).`,
    );
  return { command: words.map(renderWord).join(' '), notes: [...notes] };
}
