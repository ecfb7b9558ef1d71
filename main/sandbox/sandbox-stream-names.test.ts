import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';

const closers = closeAfterEach();

it('a sandbox stream may be named "keys", "entries", "values" or "map": a run delivers to it (kinesalite kept its streams in an array, whose own methods answered those names: "streamDb.batch is not a function")', async () => {
  const t = await openTestEngine();
  closers.push(t.close);
  const csv = path.join(t.dir, 'rows.csv');
  fs.writeFileSync(csv, 'id,v\n1,a\n2,b\n3,c\n');
  t.engine.catalog.putSource({ kind: 'csv', name: 'file', path: csv });
  t.engine.catalog.putModel({ name: 'rows', source: 'file', primaryKey: ['id'] });
  for (const stream of ['keys', 'entries', 'values', 'map', 'constructor']) {
    t.engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: `to-${stream}`, stream });
    t.engine.catalog.putSync({
      name: stream,
      model: 'rows',
      destination: `to-${stream}`,
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
    });
    const run = await t.engine.runSync(stream);
    expect({ stream, status: run.status, error: run.error, acknowledged: run.counts.acknowledged }).toEqual({
      stream,
      status: 'succeeded',
      error: null,
      acknowledged: 3,
    });
  }
});
