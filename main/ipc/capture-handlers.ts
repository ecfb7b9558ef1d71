import type { EngineServices } from '../engine/services';
import type { HandlerTable } from './dispatcher';
import type { captureChannels } from '../../shared/ipc/channels/capture';
import { capturesOf } from '../capture/capture-manager';

/** Handlers for the channels in shared/ipc/channels/capture.ts. */
export function captureHandlers(engine: EngineServices): Pick<HandlerTable, keyof typeof captureChannels> {
  return {
    startCapture: (input) => capturesOf(engine).start(input),
    stopCapture: ({ id }) => capturesOf(engine).stop(id),
    listCaptures: () => capturesOf(engine).list(),
  };
}
