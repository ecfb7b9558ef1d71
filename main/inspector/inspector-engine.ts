// What the inspector and capture share: the engine's parts they use, the Debugger's sink for their calls,
// and a ledger record as the inspector shows it (the clients are the kinds': main/destinations/kinds/).
import type { SentRecord } from '../../shared/config/inspector';
import type { CallSink } from '../recorder/types';
import type { EngineServices } from '../engine/services';
import type { LedgerRecord } from './ledger-lookup';
import { describeData } from './record-data';

/** What the inspector needs from the engine. */
export type InspectorEngine = Pick<EngineServices, 'catalog' | 'secretResolver' | 'sandbox' | 'db' | 'recorder'>;

/** The Debugger's sink for the inspector's calls to a destination. */
export function inspectorCalls(engine: InspectorEngine, destination: string): CallSink {
  return engine.recorder.scope({ runId: null, context: 'inspector', destination });
}

export function toSentRecord(r: LedgerRecord): SentRecord {
  return {
    kind: 'ledger',
    ledgerId: r.entry.id,
    runId: r.entry.runId,
    key: r.entry.key,
    recordId: r.entry.recordId,
    sentAt: r.entry.lastAttemptAt,
    data: r.data === null ? null : describeData(r.data),
  };
}
