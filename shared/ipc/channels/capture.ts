import { z } from 'zod';
import { CaptureStatusSchema, StartCaptureSchema } from '../../config/capture';

/** Channels for capturing a stream's records into a local SQLite or NDJSON file (issue #17 item 4). Spread into shared/ipc/contract.ts. */
export const captureChannels = {
  startCapture: { does: 'start the capture', input: StartCaptureSchema, output: CaptureStatusSchema },
  stopCapture: { does: 'stop the capture', input: z.object({ id: z.number().int() }).strict(), output: CaptureStatusSchema },
  listCaptures: { does: 'list the captures', input: z.object({}).strict(), output: z.array(CaptureStatusSchema) },
} as const;
