import type { EngineServices } from '../engine/services';
import type { HandlerTable } from './dispatcher';
import type { streamChannels } from '../../shared/ipc/channels/streams';
import { createStream, streamStatus } from '../destinations/stream-admin';
import { sendTestRecord } from '../sync/test-record';
import { cancelTestRecord } from '../sync/test-record-wait';

/** Handlers for the channels in shared/ipc/channels/streams.ts. */
export function streamHandlers(engine: EngineServices): Pick<HandlerTable, keyof typeof streamChannels> {
  return {
    createStream: ({ draft, create }) => createStream(engine, draft, create),
    streamStatus: ({ draft, name }) => streamStatus(engine, draft, name),
    sendTestRecord: (input) => sendTestRecord(engine, input),
    cancelTestRecord: ({ attempt }) => cancelTestRecord(engine, attempt),
  };
}
