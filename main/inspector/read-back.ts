import type { ReadBack } from '../../shared/config/inspector';
import { SluiceError } from '../../shared/ipc/errors';
import { engineKind } from '../destinations/kinds/registry';
import type { InspectorEngine } from './inspector-engine';
import { ledgerRecord } from './ledger-lookup';
import { describeData } from './record-data';

/**
 * Opens the exact record a ledger entry points at (Kinesis: its shard, AT_SEQUENCE_NUMBER, one record;
 * Kafka: its topic, partition and offset; each kind's `readBack`) and compares the bytes sent with the
 * bytes read back.
 */
export async function readBack(engine: InspectorEngine, ledgerId: number): Promise<ReadBack> {
  const found = ledgerRecord(engine.db, ledgerId);
  if (!found) throw new SluiceError('not-found', `There is no ledger entry ${ledgerId}`);
  const { entry, data } = found;
  if (entry.status !== 'acknowledged') {
    throw new SluiceError(
      'invalid-input',
      `Ledger entry ${ledgerId} (key ${entry.key}) was ${entry.status}, not acknowledged: it has no place in the stream to open`,
    );
  }
  const d = engine.catalog.getDestination(found.destination);
  const sent = data === null ? null : describeData(data);
  return engineKind(d.kind).readBack(engine, d, { found, base: { entry, destination: d.name, sent } });
}
