import { afterEach, describe, expect, it } from 'vitest';
import type { SyncSettingsInput } from '../../shared/ipc/channels/sync-admin';
import { describeError, type WireError } from '../../shared/ipc/errors';
import { openTestEngine, trusted } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';

// Syncs made and looked after in the app (issue #14), through the IPC contract on a real workspace:
// create, settings, rename, reset, delete, and what each refuses.

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const ROWS = 12;
const settings = (over: Partial<SyncSettingsInput> = {}): SyncSettingsInput => ({
  model: 'people',
  destination: 'sandbox',
  triggers: ['added', 'changed', 'removed'],
  initialSync: 'backfill',
  ...over,
});

async function setup() {
  const t = await openTestEngine();
  closers.push(t.close);
  const { file, db } = createPeopleDb(t.dir, ROWS);
  db.close();
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name, score FROM people', primaryKey: ['id'] });
  engine.catalog.putModel({ name: 'few people', source: 'db', query: 'SELECT id, name FROM people WHERE id <= 3', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox' });
  let catalogEvents = 0;
  engine.onEvent((event) => {
    if (event === 'catalogChanged') catalogEvents++;
  });
  const call = async (channel: string, input: unknown): Promise<unknown> => {
    const r = await engine.dispatcher.dispatch(channel as never, input as never, trusted);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { wire: r.error });
    return r.value;
  };
  const refusal = async (channel: string, input: unknown): Promise<WireError> => {
    const r = await engine.dispatcher.dispatch(channel as never, input as never, trusted);
    if (r.ok) throw new Error(`${channel} was not refused`);
    return r.error;
  };
  const count = (table: string, syncName: string) => {
    const id = engine.catalog.getSync(syncName).id;
    return (engine.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE sync_id = ?`).get(id) as { n: number }).n;
  };
  return { ...t, call, refusal, count, events: () => catalogEvents };
}

describe('sync admin', () => {
  it("Kafka: a topic from each row's column needs no topic of the destination (the run needs none); back to the destination's topic drops the sync's", async () => {
    const { engine, call, refusal } = await setup();
    engine.catalog.putDestination({ kind: 'kafka', name: 'per-row', brokers: ['127.0.0.1:9'] });
    engine.catalog.putDestination({ kind: 'kafka', name: 'orders', brokers: ['127.0.0.1:9'], topic: 'orders' });
    const created = (await call('createSync', {
      name: 'k',
      settings: settings({ destination: 'per-row', kafkaTopicFrom: { kind: 'column', column: 'id' } }),
    })) as {
      kafka: unknown;
    };
    expect(created.kafka).toEqual({ key: { kind: 'primary-key' }, headers: [], tombstones: false, topic: { kind: 'column', column: 'id' } });
    // The run takes it: the sync's records render with the row's topic (the broker being fake, the dry run renders every row, then fails: nothing placed).
    const dry = await engine.runSync('k', { dryRun: true });
    expect(dry.counts).toMatchObject({ rendered: ROWS, failed: 0 });
    // A template, saved over it; then the destination's topic, for a destination that has one: the sync's own is dropped.
    const templated = (await call('updateSyncSettings', {
      name: 'k',
      settings: settings({ destination: 'per-row', kafkaTopicFrom: { kind: 'template', template: 'people-{{ row.score }}' } }),
    })) as {
      sync: { kafka: { topic?: unknown } };
    };
    expect(templated.sync.kafka.topic).toEqual({ kind: 'template', template: 'people-{{ row.score }}' });
    const moved = (await call('updateSyncSettings', { name: 'k', settings: settings({ destination: 'orders', kafkaTopicFrom: { kind: 'destination' } }) })) as {
      sync: { kafka: { topic?: unknown } };
    };
    expect(moved.sync.kafka.topic).toBeUndefined();
    // A fixed topic and a topic per row at once is no setting; nor a column left unchosen.
    const both = await refusal('createSync', {
      name: 'x',
      settings: settings({ destination: 'per-row', kafkaTopic: 't', kafkaTopicFrom: { kind: 'column', column: 'name' } }),
    });
    expect(both.issues?.map((i) => i.path)).toEqual(['settings.kafkaTopicFrom']);
    const unchosen = await refusal('createSync', { name: 'x', settings: settings({ destination: 'per-row', kafkaTopicFrom: { kind: 'column', column: '' } }) });
    expect(unchosen.issues?.map((i) => i.path)).toEqual(['settings.kafkaTopicFrom.column']);
    // Not for another kind of destination.
    const kinesis = await refusal('createSync', { name: 'x', settings: settings({ kafkaTopicFrom: { kind: 'column', column: 'name' } }) });
    expect(kinesis.issues?.map((i) => i.path)).toEqual(['settings.kafkaTopicFrom']);
  });

  it("a sync moved from a Kinesis stream to Kafka in the app drops its Kinesis partition key (Kafka's record key is kafka.key: runs would ignore it)", async () => {
    const { engine, call } = await setup();
    engine.catalog.putDestination({ kind: 'kafka', name: 'orders', brokers: ['127.0.0.1:9'], topic: 'orders' });
    await call('createSync', { name: 'k', settings: settings() });
    engine.catalog.putSync({ ...engine.catalog.getSync('k').definition, partitionKey: { kind: 'column', column: 'name' } });
    const moved = (await call('updateSyncSettings', { name: 'k', settings: settings({ destination: 'orders' }) })) as { sync: { partitionKey: unknown } };
    expect(moved.sync.partitionKey).toEqual({ kind: 'primary-key' });
    expect(engine.catalog.getSync('k').definition.partitionKey).toEqual({ kind: 'primary-key' });
  });

  it('Kafka: a topic template that does not parse, or a fixed topic that is no topic name, is refused at save as apply refuses it (every run of it stopped)', async () => {
    const { engine, call, refusal } = await setup();
    engine.catalog.putDestination({ kind: 'kafka', name: 'per-row', brokers: ['127.0.0.1:9'] });
    const unclosed = await refusal('createSync', {
      name: 'x',
      settings: settings({ destination: 'per-row', kafkaTopicFrom: { kind: 'template', template: 'p-{{ row.score ' } }),
    });
    expect(unclosed.message).toMatch(/^The topic template has an error at line 1, column 3: output "\{\{ row\.score " not closed/);
    expect(unclosed.issues?.map((i) => i.path)).toEqual(['settings.kafkaTopicFrom.template']);
    const spaced = await refusal('createSync', { name: 'x', settings: settings({ destination: 'per-row', kafkaTopic: 'a b' }) });
    expect(spaced.message).toMatch(/^The topic "a b" is not a Kafka topic name/);
    expect(spaced.issues?.map((i) => i.path)).toEqual(['settings.kafkaTopic']);
    expect(engine.catalog.findSync('x')).toBeUndefined();
    // Saving settings over a sync checks the same, and leaves the sync as it was.
    await call('createSync', { name: 'k', settings: settings({ destination: 'per-row', kafkaTopicFrom: { kind: 'column', column: 'name' } }) });
    const tag = await refusal('updateSyncSettings', {
      name: 'k',
      settings: settings({ destination: 'per-row', kafkaTopicFrom: { kind: 'template', template: '{% if %}' } }),
    });
    expect(tag.issues?.map((i) => i.path)).toEqual(['settings.kafkaTopicFrom.template']);
    expect(engine.catalog.getSync('k').definition.kafka?.topic).toEqual({ kind: 'column', column: 'name' });
  });

  it('creates a sync with a template of the model columns; "only later changes" sends nothing on the first run', async () => {
    const { engine, call, events } = await setup();
    const sync = (await call('createSync', { name: 'later', settings: settings({ triggers: ['added', 'changed'], initialSync: 'baseline' }) })) as {
      payload: { mode: string; template: string };
      triggers: string[];
    };
    expect(sync.triggers).toEqual(['added', 'changed']);
    expect(sync.payload.mode).toBe('template');
    expect(sync.payload.template).toContain('"name": {{ row["name"] | json }}');
    expect(sync.payload.template).toContain('"event": {{ event | json }}');
    expect(events()).toBe(1);

    const first = await engine.runSync('later');
    expect(first.status).toBe('succeeded');
    expect(first.counts.acknowledged).toBe(0);
    // The template renders for real: a reset makes the next run send every row with it.
    await call('resetSyncSnapshot', { name: 'later' });
    const second = await engine.runSync('later');
    expect(second.counts).toMatchObject({ added: ROWS, acknowledged: ROWS, failed: 0 });
    const [entry] = engine.ledger.search({ runId: second.id, limit: 1, offset: 0 }).entries;
    expect(entry?.status).toBe('acknowledged');
  });

  it('saving settings keeps the snapshot; changing the model starts the sync over and says so', async () => {
    const { engine, call, count } = await setup();
    await call('createSync', { name: 's', settings: settings() });
    await engine.runSync('s');
    expect(count('snapshot', 's')).toBe(ROWS);

    const kept = (await call('updateSyncSettings', { name: 's', settings: settings({ triggers: ['removed'], maxRemovalPercent: 20 }) })) as {
      sync: { triggers: string[]; maxRemovalPercent: number };
      restarted: boolean;
    };
    expect(kept).toMatchObject({ restarted: false, sync: { triggers: ['removed'], maxRemovalPercent: 20 } });
    expect(count('snapshot', 's')).toBe(ROWS);
    expect(engine.catalog.getSync('s').initialized).toBe(true);

    const moved = (await call('updateSyncSettings', { name: 's', settings: settings({ model: 'few people' }) })) as { restarted: boolean };
    expect(moved.restarted).toBe(true);
    expect(count('snapshot', 's')).toBe(0);
    expect(engine.catalog.getSync('s').initialized).toBe(false);
  });

  it('rename keeps runs, ledger, snapshot and template tests; a taken or bad name is refused in one sentence', async () => {
    const { engine, call, refusal, count } = await setup();
    await call('createSync', { name: 'old name', settings: settings() });
    await call('createSync', { name: 'other', settings: settings() });
    const run = await engine.runSync('old name');
    await call('saveTemplateTest', { sync: 'old name', key: '3', expected: '{"id":3}' });

    const taken = await refusal('renameSync', { name: 'old name', newName: 'other' });
    expect(taken.message).toBe('A sync named "other" already exists: choose another name');
    expect(taken.issues).toBeUndefined();
    expect(describeError(await refusal('renameSync', { name: 'old name', newName: ' ' }))).toBe(
      'Could not rename the sync: the input is not valid — The new name is required',
    );

    await call('renameSync', { name: 'old name', newName: 'new name' });
    expect(engine.catalog.findSync('old name')).toBeUndefined();
    expect(count('snapshot', 'new name')).toBe(ROWS);
    expect(count('ledger', 'new name')).toBe(ROWS);
    expect(count('template_tests', 'new name')).toBe(1);
    const runs = (await call('listRuns', { sync: 'new name' })) as { id: number; sync: string }[];
    expect(runs).toEqual([expect.objectContaining({ id: run.id, sync: 'new name' })]);
    // The renamed sync carries on where it was: nothing changed, nothing to send.
    const next = await engine.runSync('new name');
    expect(next.counts).toMatchObject({ unchanged: ROWS, acknowledged: 0 });
  });

  it('delete removes the snapshot, ledger, runs, rejects and template tests of that sync only, in one go', async () => {
    const { engine, call, count } = await setup();
    await call('createSync', { name: 'doomed', settings: settings() });
    await call('createSync', { name: 'kept', settings: settings() });
    await engine.runSync('doomed');
    await engine.runSync('doomed');
    await engine.runSync('kept');
    await call('saveTemplateTest', { sync: 'doomed', key: '1', expected: '{"id":1}' });
    await call('saveTemplateTest', { sync: 'kept', key: '1', expected: '{"id":1}' });
    const doomedId = engine.catalog.getSync('doomed').id;
    engine.db
      .prepare("INSERT INTO run_rejects (run_id, reason, key, row_number, detail) SELECT id, 'null-key', NULL, 1, 'x' FROM runs WHERE sync_id = ?")
      .run(doomedId);

    const footprint = await call('syncFootprint', { name: 'doomed' });
    expect(footprint).toEqual({ runs: 2, ledgerEntries: ROWS, snapshotRows: ROWS, snapshotInSource: false, templateTests: 1, runningRun: null });
    expect(await call('deleteSync', { name: 'doomed' })).toEqual({
      runs: 2,
      ledgerEntries: ROWS,
      snapshotRows: ROWS,
      snapshotInSource: false,
      templateTests: 1,
    });

    expect(engine.catalog.findSync('doomed')).toBeUndefined();
    for (const table of ['snapshot', 'runs', 'ledger', 'template_tests']) {
      expect((engine.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE sync_id = ?`).get(doomedId) as { n: number }).n, table).toBe(0);
    }
    expect((engine.db.prepare('SELECT COUNT(*) AS n FROM run_rejects').get() as { n: number }).n).toBe(0);
    expect([count('snapshot', 'kept'), count('runs', 'kept'), count('ledger', 'kept'), count('template_tests', 'kept')]).toEqual([ROWS, 1, ROWS, 1]);
  });

  it('refuses while a run is running, an unknown model or destination, a taken name and settings of another destination kind', async () => {
    const { engine, call, refusal, count } = await setup();
    await call('createSync', { name: 's', settings: settings() });

    const runId = engine.startRun('s');
    for (const [channel, input, action] of [
      ['deleteSync', { name: 's' }, 'delete it'],
      ['renameSync', { name: 's', newName: 't' }, 'rename it'],
      ['resetSyncSnapshot', { name: 's' }, 'reset it'],
      ['updateSyncSettings', { name: 's', settings: settings({ model: 'few people' }) }, 'change its model or destination'],
    ] as const) {
      const error = await refusal(channel, input);
      expect(error, channel).toEqual({
        code: 'conflict',
        message: `The sync "s" is running (run ${runId}): wait for it to end or cancel it, then ${action} again`,
      });
    }
    // Saving the whole definition (the payload editor, \`sluice apply\`) with another model is refused too:
    // the running run would record what it sends in the new pair's snapshot.
    const saved = await refusal('saveSync', { ...engine.catalog.getSync('s').definition, model: 'few people' });
    expect(saved).toEqual({
      code: 'conflict',
      message: `The sync "s" is running (run ${runId}): it cannot change its model until the run ends (wait for it or cancel it, then save again)`,
      issues: [{ path: 'model', message: `The sync is running (run ${runId})` }],
    });
    expect(engine.catalog.getSync('s').definition.model).toBe('people');
    await engine.idle();
    expect(engine.catalog.findSync('s')).toBeDefined();
    expect(count('snapshot', 's')).toBe(ROWS);

    const noModel = await refusal('createSync', { name: 'x', settings: settings({ model: 'nobody' }) });
    expect(noModel.issues).toEqual([{ path: 'settings.model', message: 'Choose one of "few people", "people"' }]);
    expect(noModel.message).toContain('There is no model named "nobody"');
    const noDestination = await refusal('updateSyncSettings', { name: 's', settings: settings({ destination: 'kafka' }) });
    expect(noDestination.issues).toEqual([{ path: 'settings.destination', message: 'Choose one of "sandbox"' }]);
    const taken = await refusal('createSync', { name: 's', settings: settings() });
    expect(taken.issues).toEqual([{ path: 'name', message: 'Choose another name' }]);
    const kind = await refusal('createSync', { name: 'x', settings: settings({ kafkaTombstones: true, firehose: { routes: [{ match: '*', stream: 'a' }] } }) });
    expect(kind.issues?.map((i) => i.path)).toEqual(['settings.kafkaTombstones', 'settings.firehose']);
    const bad = await refusal('createSync', { name: 'x', settings: settings({ triggers: [], maxRemovalPercent: 101 }) });
    expect(bad.issues?.map((i) => i.path).sort()).toEqual(['settings.maxRemovalPercent', 'settings.triggers']);
    expect(engine.catalog.findSync('x')).toBeUndefined();
  });

  it('Kafka: tombstones and a topic for a destination without one; Firehose: event routes', async () => {
    const { engine, call, refusal } = await setup();
    engine.catalog.putDestination({ kind: 'kafka', name: 'events', brokers: ['127.0.0.1:9'] });
    engine.catalog.putDestination({ kind: 'firehose', name: 'lake', deliveryStream: 'lake', auth: { kind: 'default-chain' } });
    const noTopic = await refusal('createSync', { name: 'k', settings: settings({ destination: 'events' }) });
    expect(noTopic.issues).toEqual([
      { path: 'settings.kafkaTopic', message: 'The destination "events" has no topic of its own: give this sync one, or take each row\'s topic from a column' },
    ]);
    const kafka = (await call('createSync', { name: 'k', settings: settings({ destination: 'events', kafkaTombstones: true, kafkaTopic: 'people' }) })) as {
      kafka: unknown;
    };
    expect(kafka.kafka).toEqual({ key: { kind: 'primary-key' }, headers: [], tombstones: true, topic: { kind: 'fixed', value: 'people' } });
    // Saving again without a topic keeps the sync's own.
    const again = (await call('updateSyncSettings', { name: 'k', settings: settings({ destination: 'events', kafkaTombstones: false }) })) as {
      sync: { kafka: unknown };
    };
    expect(again.sync.kafka).toMatchObject({ tombstones: false, topic: { kind: 'fixed', value: 'people' } });

    // Back to the destination's topic: it has none, so the sync needs one.
    const back = await refusal('updateSyncSettings', { name: 'k', settings: settings({ destination: 'events', kafkaTopicFrom: { kind: 'destination' } }) });
    expect(back.issues?.map((i) => i.path)).toEqual(['settings.kafkaTopicFrom']);

    const routes = {
      routes: [
        { match: 'removed', stream: 'deletions' },
        { match: '*', stream: 'everything' },
      ],
    };
    const firehose = (await call('createSync', { name: 'f', settings: settings({ destination: 'lake', firehose: routes }) })) as { firehose: unknown };
    expect(firehose.firehose).toEqual({ ...routes, unmatched: 'skip' }); // the default: events no route takes are skipped
    // Moved to a Kinesis destination, the Firehose routes no longer apply and are dropped.
    const moved = (await call('updateSyncSettings', { name: 'f', settings: settings() })) as { sync: { firehose?: unknown }; restarted: boolean };
    expect(moved.restarted).toBe(true);
    expect(moved.sync.firehose).toBeUndefined();
  });
});
