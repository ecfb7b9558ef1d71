import Connection from 'kafkajs/src/network/connection';
import SocketRequest from 'kafkajs/src/network/requestQueue/socketRequest';
import { errorCodes } from 'kafkajs/src/protocol/error';
import type { KafkaSecurity } from '../../shared/debugger/copy-command';

/**
 * What a Kafka broker answered to one request: the error codes in its response (a refused login, a
 * topic that does not exist, a partition that refused its records…) and the connection's security
 * settings (never a secret). kafkajs' instrumentation event for a request fires when its response
 * arrives, before kafkajs decodes it, so the event cannot say whether the broker answered an error.
 *
 * Two hooks on kafkajs 2.2.4's internals (installed once, on first use) fill that gap:
 * - `SocketRequest#completed` (where the event is emitted): a recorder listening to the event claims
 *   the answer synchronously from inside its listener (`claimAnswer`), and the response's bytes are
 *   remembered as belonging to that answer;
 * - `Connection#send`: its response decoder is wrapped, so the decoded response (or the error decoding
 *   and parsing it threw) settles the claimed answer, before `send` returns to kafkajs.
 * Requests no recorder claimed are not looked at.
 */
export interface KafkaAnswer {
  /** Error codes in the response (first ones), with the broker's message when it sent one. */
  errors: BrokerError[];
  /** How many error codes the response carried in all. */
  errorCount: number;
  /** Errors kafkajs raised for the response without an error code in it (e.g. a response it could not decode). */
  clientError: { name: string; type: string | null; message: string } | null;
  security: KafkaSecurity;
}

export interface BrokerError {
  code: number;
  type: string;
  message: string;
  topic?: string;
  partition?: number;
  group?: string;
}

/**
 * Answers that are a step of the protocol rather than a failure: KIP-394's first JoinGroup, where the
 * broker hands the joining member its id with MEMBER_ID_REQUIRED (kafkajs joins again with it).
 */
export const PROTOCOL_STEP_CODES: ReadonlySet<number> = new Set([79]);

/** Errors kept per answer (the count says how many there were). */
const ERRORS_KEPT = 5;
/** Objects looked at in one response: a large Metadata answer is not walked in full. */
const MAX_NODES = 20_000;
/** Claimed answers not settled after this long are given up (recorded without an answer). */
const GIVE_UP_MS = 60_000;

type Listener = (answer: KafkaAnswer | undefined) => void;

interface Pending {
  broker: string;
  correlationId: number;
  at: number;
  listener?: Listener;
}

const TYPES = new Map(errorCodes.map((e) => [e.code, e]));

let current: Pending | undefined;
const byPayload = new WeakMap<Buffer, Pending>();
const unsettled = new Set<Pending>();
let installed = false;

/**
 * Called from a kafkajs REQUEST event listener: asks for the broker's answer to that request. Returns
 * false when there will be none to wait for (no response bytes, or the hooks are not on this path):
 * record the call at once then.
 */
export function claimAnswer(request: { broker: string; correlationId: number }, listener: Listener): boolean {
  const p = current;
  if (!p || p.listener || p.broker !== request.broker || p.correlationId !== request.correlationId) return false;
  p.listener = listener;
  return true;
}

function giveUpStale(now: number): void {
  if (unsettled.size < 64) return;
  for (const p of unsettled) {
    if (now - p.at < GIVE_UP_MS) continue;
    unsettled.delete(p);
    p.listener?.(undefined);
  }
}

function settle(p: Pending | undefined, connection: Connection, decoded: unknown, error: unknown): void {
  if (!p || !unsettled.delete(p)) return;
  let answer: KafkaAnswer | undefined;
  try {
    answer = describeAnswer(decoded, error, securityOf(connection));
  } catch {
    answer = undefined;
  }
  p.listener?.(answer);
}

/** Installs the two hooks (idempotent). */
export function installKafkaAnswerHooks(): void {
  if (installed) return;
  installed = true;

  const completed = SocketRequest.prototype.completed;
  SocketRequest.prototype.completed = function (this: SocketRequest, response: { size: number; payload: Buffer | null }) {
    if (!Buffer.isBuffer(response?.payload)) return completed.call(this, response);
    const p: Pending = { broker: this.broker, correlationId: this.correlationId, at: Date.now() };
    const outer = current;
    current = p;
    try {
      return completed.call(this, response);
    } finally {
      current = outer;
      if (p.listener) {
        byPayload.set(response.payload, p);
        unsettled.add(p);
        giveUpStale(p.at);
      }
    }
  };

  const send = Connection.prototype.send;
  Connection.prototype.send = function (this: Connection, protocol) {
    const codec = protocol?.response;
    if (!codec || typeof codec.decode !== 'function') return send.call(this, protocol);
    let claimed: Pending | undefined;
    let decoded: unknown;
    const response = {
      ...codec,
      decode: async (payload: Buffer) => {
        claimed = Buffer.isBuffer(payload) ? byPayload.get(payload) : undefined;
        const data = await codec.decode(payload);
        if (claimed) decoded = data;
        return data;
      },
    };
    return send.call(this, { ...protocol, response }).then(
      (value) => {
        settle(claimed, this, decoded, undefined);
        return value;
      },
      (err: unknown) => {
        settle(claimed, this, decoded, err);
        throw err;
      },
    );
  };
}

/** Set (to the region) on kafkajs SASL settings that are an MSK IAM login (main/kafka/msk-iam.ts). */
export const MSK_IAM_MARK = 'mskIamRegion';

/** The connection's security settings: TLS, its CA and client certificate (whether set), the SASL mechanism and username. */
export function securityOf(connection: Pick<Connection, 'ssl' | 'sasl'>): KafkaSecurity {
  const ssl = connection.ssl as { ca?: unknown; cert?: unknown; rejectUnauthorized?: boolean } | boolean | null | undefined;
  const sasl = connection.sasl as { mechanism?: string; username?: string; [MSK_IAM_MARK]?: string } | null | undefined;
  const tls = Boolean(ssl);
  const options = typeof ssl === 'object' && ssl !== null ? ssl : {};
  return {
    tls,
    ca: Boolean(options.ca),
    clientCert: Boolean(options.cert),
    verify: options.rejectUnauthorized !== false,
    // An MSK IAM login (OAUTHBEARER with a signed token, msk-iam.ts) is shown as the destination's `aws`.
    sasl: sasl?.mechanism
      ? {
          mechanism: typeof sasl[MSK_IAM_MARK] === 'string' ? 'aws' : sasl.mechanism.toLowerCase(),
          ...(typeof sasl.username === 'string' ? { username: sasl.username } : {}),
        }
      : null,
  };
}

interface Where {
  topic?: string;
  partition?: number;
  group?: string;
}

/** Keys never walked: record data (Fetch), SASL bytes. */
const SKIP = new Set(['messages', 'records', 'recordBatch', 'authBytes']);

/** What a response node is about: its topic, partition or group, else its parent's. */
function whereOf(o: Record<string, unknown>, where: Where, parentKey: string): Where {
  const here: Where = { ...where };
  const topic = o.topic ?? o.topicName ?? (/topic/i.test(parentKey) ? o.name : undefined);
  if (typeof topic === 'string') here.topic = topic;
  const partition = o.partition ?? o.partitionIndex;
  if (typeof partition === 'number') here.partition = partition;
  if (typeof o.groupId === 'string') here.group = o.groupId;
  return here;
}

function brokerError(o: Record<string, unknown>, code: number, where: Where): BrokerError {
  const known = TYPES.get(code);
  const text = typeof o.errorMessage === 'string' && o.errorMessage ? o.errorMessage : (known?.message ?? `Kafka error code ${code}`);
  return { code, type: known?.type ?? `ERROR_${code}`, message: text, ...where };
}

/** Every non-zero `…errorCode` field of a decoded response, with the topic, partition or group it is about. */
export function brokerErrors(decoded: unknown): { errors: BrokerError[]; count: number } {
  const errors: BrokerError[] = [];
  let count = 0;
  let nodes = 0;
  const visit = (value: unknown, where: Where, parentKey: string): void => {
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Uint8Array) return;
    if (++nodes > MAX_NODES) return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v, where, parentKey);
      return;
    }
    const o = value as Record<string, unknown>;
    const here = whereOf(o, where, parentKey);
    for (const [k, v] of Object.entries(o)) {
      if (!/errorcode$/i.test(k) || typeof v !== 'number' || v === 0) continue;
      count++;
      if (errors.length < ERRORS_KEPT) errors.push(brokerError(o, v, here));
    }
    for (const [k, v] of Object.entries(o)) if (!SKIP.has(k) && typeof v === 'object') visit(v, here, k);
  };
  visit(decoded, {}, '');
  return { errors, count };
}

function describeAnswer(decoded: unknown, error: unknown, security: KafkaSecurity): KafkaAnswer {
  const { errors, count } = decoded === undefined ? { errors: [], count: 0 } : brokerErrors(decoded);
  let clientError: KafkaAnswer['clientError'] = null;
  if (error !== undefined && count === 0) {
    const e = error as Error & { type?: string; code?: number };
    const known = typeof e.code === 'number' ? TYPES.get(e.code) : undefined;
    // A protocol error kafkajs raised while decoding (e.g. UNSUPPORTED_VERSION): the broker's error code.
    if (known) errors.push({ code: known.code, type: known.type, message: e.message || known.message });
    else clientError = { name: e.name ?? 'Error', type: e.type ?? null, message: e.message ?? String(error) };
  }
  return { errors, errorCount: Math.max(count, errors.length), clientError, security };
}
