import { z } from 'zod';

/** What a row's record is about: the row was added, changed or removed since the last delivery. */
export const SYNC_EVENTS = ['added', 'changed', 'removed'] as const;
export const SyncEventSchema = z.enum(SYNC_EVENTS);
export type SyncEvent = z.infer<typeof SyncEventSchema>;
