import { describe, expect, it } from 'vitest';
import { DestinationSchema, type Destination } from '../../../../shared/config/destination';
import type { Model } from '../../../../shared/config/source';
import type { Sync } from '../../../../shared/config/sync';
import { formProblems, initialState, removalLimitProblem, toSettings } from './sync-settings-state';

const aws = { kind: 'access-key', accessKeyId: 'A', secretAccessKey: { keychain: 's' } };
const destinations: Destination[] = [
  DestinationSchema.parse({ kind: 'kafka', name: 'q', brokers: ['b:9092'], topic: 'orders' }),
  DestinationSchema.parse({ kind: 'firehose', name: 'f', deliveryStream: 'events', auth: aws }),
  DestinationSchema.parse({ kind: 'sandbox-kinesis', name: 'sandbox' }),
];
const models = [{ name: 'm' }] as Model[];

describe('the sync settings form', () => {
  it("starts a new sync on the first model and destination, every event, no kind's settings", () => {
    expect(initialState(undefined, models, destinations)).toEqual({
      name: '',
      model: 'm',
      destination: 'q',
      triggers: ['added', 'changed', 'removed'],
      initialSync: 'backfill',
      maxRemovalPercent: '',
      kafkaTombstones: false,
      kafkaTopicMode: 'destination',
      kafkaTopic: '',
      kafkaTopicColumn: '',
      kafkaTopicTemplate: '',
      routing: false,
      eventNameKind: 'none',
      eventName: '',
      routes: [{ match: '*', stream: '' }],
      unmatched: 'skip',
    });
  });

  it("opens a sync with its Kafka and Firehose settings, whichever its destination's kind", () => {
    const sync = {
      name: 's',
      model: 'm',
      destination: 'f',
      triggers: ['added'],
      initialSync: 'baseline',
      maxRemovalPercent: 20,
      kafka: { key: { kind: 'primary-key' }, headers: [], tombstones: true, topic: { kind: 'fixed', value: 't' } },
      firehose: { eventName: { kind: 'column', column: 'ev' }, routes: [{ match: 'a', stream: 'x' }], unmatched: 'reject' },
    } as unknown as Sync;
    expect(initialState(sync, models, destinations)).toMatchObject({
      maxRemovalPercent: '20',
      kafkaTombstones: true,
      kafkaTopicMode: 'fixed',
      kafkaTopic: 't',
      routing: true,
      eventNameKind: 'column',
      eventName: 'ev',
      routes: [{ match: 'a', stream: 'x' }],
      unmatched: 'reject',
    });
  });

  it("saves only the chosen destination kind's own settings", () => {
    const form = {
      ...initialState(undefined, models, destinations),
      maxRemovalPercent: ' 5 ',
      kafkaTombstones: true,
      kafkaTopicMode: 'fixed' as const,
      kafkaTopic: ' t ',
      routing: true,
      eventNameKind: 'template' as const,
      eventName: '{{ row.e }}',
    };
    const common = { model: 'm', triggers: ['added', 'changed', 'removed'], initialSync: 'backfill', maxRemovalPercent: 5 };
    expect(toSettings(form, destinations[0])).toEqual({ ...common, destination: 'q', kafkaTombstones: true, kafkaTopic: 't', firehose: null });
    expect(toSettings({ ...form, destination: 'f' }, destinations[1])).toEqual({
      ...common,
      destination: 'f',
      kafkaTombstones: false,
      firehose: { eventName: { kind: 'template', template: '{{ row.e }}' }, routes: [{ match: '*', stream: '' }], unmatched: 'skip' },
    });
    expect(toSettings({ ...form, destination: 'f', routing: false }, destinations[1]).firehose).toBeNull();
    expect(toSettings({ ...form, destination: 'sandbox' }, destinations[2])).toEqual({
      ...common,
      destination: 'sandbox',
      kafkaTombstones: false,
      firehose: null,
    });
    expect(toSettings({ ...form, maxRemovalPercent: '' }, undefined)).not.toHaveProperty('maxRemovalPercent');
  });

  it('refuses a mass-removal limit typed with a separator or out of range in words, never reading `1,5` as 15; takes a fraction as a config file does', () => {
    const form = initialState(undefined, models, destinations);
    const hint = 'Mass-removal limit: a percent from 0 to 100 (such as 50 or 12.5), without separators';
    for (const typed of ['1,5', '101', '100.5', '-1', 'ten', '1e2', '.5']) {
      expect(removalLimitProblem({ ...form, maxRemovalPercent: typed })).toBe(hint);
      expect(() => toSettings({ ...form, maxRemovalPercent: typed }, destinations[0])).toThrow(
        expect.objectContaining({ issues: [{ path: '', message: hint }] }),
      );
    }
    expect(removalLimitProblem({ ...form, maxRemovalPercent: '' })).toBeNull();
    expect(toSettings({ ...form, maxRemovalPercent: ' 0 ' }, destinations[0]).maxRemovalPercent).toBe(0);
    // A sync applied with `maxRemovalPercent: 12.5` opens with it and saves it unchanged (a whole number was required: the form refused its own value).
    const applied = initialState(
      { name: 's', model: 'm', destination: 'q', triggers: ['added'], maxRemovalPercent: 12.5 } as unknown as Sync,
      models,
      destinations,
    );
    expect(applied.maxRemovalPercent).toBe('12.5');
    expect(removalLimitProblem(applied)).toBeNull();
    expect(toSettings(applied, destinations[0]).maxRemovalPercent).toBe(12.5);
    // And one of `maxRemovalPercent: 0.0000001`: it read "1e-7", refused, so no other setting could be saved.
    for (const tiny of [0.0000001, 1.5e-10, 1e-21]) {
      const opened = initialState(
        { name: 's', model: 'm', destination: 'q', triggers: ['added'], maxRemovalPercent: tiny } as unknown as Sync,
        models,
        destinations,
      );
      expect(opened.maxRemovalPercent).toMatch(/^0\.\d+$/);
      expect(removalLimitProblem(opened)).toBeNull();
      expect(toSettings(opened, destinations[0]).maxRemovalPercent).toBe(tiny);
    }
    expect(
      initialState({ name: 's', model: 'm', destination: 'q', triggers: ['added'], maxRemovalPercent: 0.0000001 } as unknown as Sync, models, destinations)
        .maxRemovalPercent,
    ).toBe('0.0000001');
  });

  it("says every problem of a new sync's form at once: its name's and the mass-removal limit's", () => {
    const form = initialState(undefined, models, destinations);
    expect(formProblems({ ...form, name: '!orders', maxRemovalPercent: '1,5' }, true)).toEqual([
      { path: 'name', message: expect.stringMatching(/^A name starts with a letter or digit/) },
      { path: 'maxRemovalPercent', message: 'Mass-removal limit: a percent from 0 to 100 (such as 50 or 12.5), without separators' },
    ]);
    expect(formProblems({ ...form, name: '   ', maxRemovalPercent: '' }, true)).toEqual([{ path: 'name', message: 'A name is required' }]);
    expect(formProblems({ ...form, name: 'Orders to Kafka', maxRemovalPercent: '20' }, true)).toEqual([]);
    // An existing sync's settings have no name field.
    expect(formProblems({ ...form, name: '', maxRemovalPercent: '20' }, false)).toEqual([]);
  });

  it("takes a Kafka sync's topic from each row's column, also for a destination without a topic; the destination's topic only where there is one", () => {
    const perRow = DestinationSchema.parse({ kind: 'kafka', name: 'p', brokers: ['b:9092'] });
    const fresh = { ...initialState(undefined, models, [perRow]), kafkaTopicColumn: 'region', kafkaTopicTemplate: 'orders-{{ row.region }}' };
    const kafka = (form: typeof fresh, d: Destination) => {
      const { kafkaTopic, kafkaTopicFrom } = toSettings(form, d);
      return { kafkaTopic, kafkaTopicFrom };
    };
    // Chosen at once, no fixed topic first: the destination has none, and none is needed.
    expect(kafka({ ...fresh, kafkaTopicMode: 'column' }, perRow)).toEqual({ kafkaTopic: undefined, kafkaTopicFrom: { kind: 'column', column: 'region' } });
    expect(kafka({ ...fresh, kafkaTopicMode: 'template' }, perRow)).toEqual({
      kafkaTopic: undefined,
      kafkaTopicFrom: { kind: 'template', template: 'orders-{{ row.region }}' },
    });
    // Without a topic of its own, the destination's topic is no choice: a fixed topic is asked (left out while empty: the engine says it is needed).
    expect(kafka(fresh, perRow)).toEqual({ kafkaTopic: undefined, kafkaTopicFrom: undefined });
    expect(kafka({ ...fresh, kafkaTopic: 'people' }, perRow)).toEqual({ kafkaTopic: 'people', kafkaTopicFrom: undefined });
    // A fixed topic chosen and left empty is sent empty, to be refused as such.
    expect(kafka({ ...fresh, kafkaTopicMode: 'fixed', kafkaTopic: ' ' }, perRow)).toEqual({ kafkaTopic: '', kafkaTopicFrom: undefined });
    // With one, it is chosen as such (a sync's own topic is then dropped).
    expect(kafka(fresh, destinations[0]!)).toEqual({ kafkaTopic: undefined, kafkaTopicFrom: { kind: 'destination' } });
    // A sync whose rows name their topic opens so.
    const sync = {
      name: 's',
      model: 'm',
      destination: 'p',
      kafka: { key: { kind: 'none' }, headers: [], tombstones: false, topic: { kind: 'column', column: 'region' } },
    };
    expect(initialState(sync as unknown as Sync, models, [perRow])).toMatchObject({ kafkaTopicMode: 'column', kafkaTopicColumn: 'region', kafkaTopic: '' });
  });
});
