import { contract, events, isChannel, type Channel, type ChannelArgs, type ChannelOutput, type EventName, type EventPayload } from '../../shared/ipc/contract';
import { issuesFromZod, SluiceError, type WireResult } from '../../shared/ipc/errors';
import { zodWords } from '../../shared/zod-words';
import type { Logger } from '../log/logger';
import type { Redactor } from '../secrets/redactor';

/** Who sent a request, as the transport saw it. The dispatcher refuses anyone not trusted. */
export interface Sender {
  transport: 'electron' | 'websocket';
  /** The sending frame's URL (Electron) or the connection's Origin (WebSocket). */
  origin: string;
  /** Set by the adapter after its own transport-specific check (window identity, token). */
  trusted: boolean;
}

export type Handler<C extends Channel> = (input: ChannelArgs<C>) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
export type HandlerTable = { [C in Channel]: Handler<C> };

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * Checks the sender, validates the input against the contract, runs the handler and answers a
 * `WireResult`. Both adapters (Electron IPC and the WebSocket bridge) call exactly this.
 */
export class Dispatcher {
  constructor(
    private readonly handlers: HandlerTable,
    private readonly log: Logger,
    private readonly redactor: Redactor,
  ) {}

  async dispatch(channel: unknown, rawInput: unknown, sender: Sender): Promise<WireResult<unknown>> {
    if (!sender.trusted) {
      this.log.warn('ipc.refused', { channel: String(channel), origin: sender.origin, transport: sender.transport });
      return { ok: false, error: new SluiceError('forbidden-sender', `Refused a request from ${sender.origin || 'an unknown sender'}`).toWire() };
    }
    if (!isChannel(channel)) {
      return { ok: false, error: new SluiceError('unknown-channel', `There is no channel named "${String(channel)}"`).toWire() };
    }
    const parsed = contract[channel].input.safeParse(rawInput ?? {}, { error: zodWords });
    if (!parsed.success) {
      const error = new SluiceError('invalid-input', `Could not ${contract[channel].does}: the input is not valid`, issuesFromZod(parsed.error));
      this.log.info('ipc.invalid-input', { channel, issues: error.issues });
      return { ok: false, error: error.toWire() };
    }
    try {
      const handler = this.handlers[channel] as (input: unknown) => Promise<unknown> | unknown;
      const value = await handler(parsed.data);
      return { ok: true, value: contract[channel].output.parse(value) };
    } catch (err) {
      if (err instanceof SluiceError) return { ok: false, error: this.redactor.redactDeep(err.toWire()) };
      this.log.error('ipc.handler-failed', { channel, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      const message = this.redactor.redact(err instanceof Error ? err.message : String(err));
      return { ok: false, error: new SluiceError('internal', `Could not ${contract[channel].does}: ${message}`).toWire() };
    }
  }
}

/** Validates an outgoing event against the contract before any transport sends it. */
export function checkedEvent<E extends EventName>(event: E, payload: EventPayload<E>): EventPayload<E> {
  return events[event].parse(payload) as EventPayload<E>;
}
