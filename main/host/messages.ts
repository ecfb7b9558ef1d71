import type { WireResult } from '../../shared/ipc/errors';

/** Messages on the host's WebSocket. Requests carry an id; answers echo it. */
export type ClientMessage = { id: number; channel: unknown; input: unknown };
export type ServerMessage = { id: number | null; result: WireResult<unknown> } | { event: string; payload: unknown };

export type ParsedMessage = { ok: true; message: ClientMessage } | { ok: false; answer: ServerMessage };

const SHAPE = 'A message must be one JSON object {"id": <number>, "channel": <name>, "input": <object>} sent as text';

function refusal(message: string, id: number | null = null): ParsedMessage {
  return { ok: false, answer: { id, result: { ok: false, error: { code: 'invalid-input', message } } } };
}

/**
 * Reads one WebSocket message into a request, or into the error answer it gets (with id null when
 * the message has no usable id; the client ignores those). Never throws.
 */
export function parseClientMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): ParsedMessage {
  if (isBinary) return refusal(`${SHAPE}, not as a binary frame`);
  let value: unknown;
  try {
    const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
    value = JSON.parse(text);
  } catch {
    return refusal(`${SHAPE}: this one is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refusal(SHAPE);
  const record = value as Record<string, unknown>;
  const id = record.id;
  if (typeof id !== 'number' || !Number.isFinite(id)) return refusal(`${SHAPE}: the id is missing or not a number`);
  return { ok: true, message: { id, channel: record.channel, input: record.input } };
}
