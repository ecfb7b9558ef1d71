import type { Liquid } from 'liquidjs';
import type { KafkaMessage } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import { topicNameProblem } from '../../shared/destinations/kinds/kafka/schema';
import type { KafkaProperties } from '../publishers/publisher';
import { liquidEngine } from './liquid-engine';
import { RenderError, templateError, type RenderContext } from './payload-renderer';
import { columnText } from './row-identity';
import { prepareTemplate, type PreparedTemplate } from './simple-template';

/** The largest partition number Kafka has (an int32). */
const MAX_PARTITION = 2 ** 31 - 1;

/**
 * A row's partition value cast to a partition number: "3", " 3 " and "3.0" are 3. Empty (a template
 * that rendered nothing) is no partition: the key decides. Anything else — "abc", "3.5", "-1", past
 * 2^31−1 — is a RenderError, so the row is rejected saying why (the Kafka seed sends such a value as
 * null and lets the key decide; Sluice says so instead, since a wrong partition column would otherwise
 * go unnoticed). Whether the topic has that partition is the publisher's check (INVALID_PARTITION).
 */
export function kafkaPartitionOf(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const m = /^(\d+)(?:\.0*)?$/.exec(t);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n > MAX_PARTITION) {
    const why = /^-/.test(t)
      ? 'partitions are numbered from 0'
      : /^\d+\.\d+$/.test(t)
        ? 'not a whole number'
        : m
          ? `partitions go up to ${MAX_PARTITION}`
          : 'not a number';
    throw new RenderError(`the partition "${t.length > 40 ? `${t.slice(0, 40)}…` : t}" is not a partition number (${why})`);
  }
  return n;
}

type Source = { kind: 'fixed'; value: string } | { kind: 'column'; column: string } | { kind: 'template'; template: string };

/**
 * Names that are no topic's, and header names given twice (one value per name goes): refused before
 * anything is sent (at apply, and at a run's start), naming the field.
 */
function refuseUnsendable(message: KafkaMessage, defaultTopic: string | undefined): void {
  const byTrigger = message.topicByTrigger ?? {};
  const fixed: [string, string | undefined][] = [
    ['kafka.topic.value', message.topic?.kind === 'fixed' ? message.topic.value : undefined],
    ...(['added', 'changed', 'removed'] as const).map((e): [string, string | undefined] => [`kafka.topicByTrigger.${e}`, byTrigger[e]]),
  ];
  for (const [path, topic] of fixed) {
    const problem = topic === undefined ? null : topicNameProblem(topic);
    if (problem) throw new SluiceError('invalid-input', `The topic ${problem}`, [{ path, message: `Not a Kafka topic name` }]);
  }
  // The destination's topic only where an event can fall back to it (a saved destination's topic that is no name must not stop syncs that never use it).
  const fallsBack = !message.topic && !(byTrigger.added && byTrigger.changed && byTrigger.removed);
  const destinationProblem = defaultTopic === undefined || !fallsBack ? null : topicNameProblem(defaultTopic);
  if (destinationProblem) throw new SluiceError('invalid-input', `The destination's topic ${destinationProblem}`);
  refuseFixedPartition(message);
  message.headers.forEach((h, i) => {
    const first = message.headers.findIndex((other) => other.name === h.name);
    if (first !== i)
      throw new SluiceError(
        'invalid-input',
        `Two headers are named "${h.name}" (headers ${first + 1} and ${i + 1}): Sluice sends one value per header name; rename one`,
        [{ path: `kafka.headers.${i}.name`, message: `"${h.name}" is the name of header ${first + 1} too` }],
      );
  });
}

/** A fixed partition that is no partition number ("-1", "abc"): every row would be rejected for it. */
function refuseFixedPartition(message: KafkaMessage): void {
  if (message.partition?.kind !== 'fixed') return;
  try {
    kafkaPartitionOf(message.partition.value);
  } catch (err) {
    if (!(err instanceof RenderError)) throw err;
    throw new SluiceError('invalid-input', `The fixed partition: ${err.message}`, [{ path: 'kafka.partition.value', message: 'Not a partition number' }]);
  }
}

/** Renders a record's Kafka properties: topic (fixed or per row), key, partition and headers. */
export class KafkaMessageRenderer {
  private readonly liquid: Liquid = liquidEngine();
  private readonly parsed = new Map<string, PreparedTemplate>();

  constructor(
    private readonly message: KafkaMessage,
    private readonly defaultTopic: string | undefined,
  ) {
    const byTrigger = message.topicByTrigger ?? {};
    if (!message.topic && !defaultTopic && !byTrigger.added && !byTrigger.changed && !byTrigger.removed) {
      throw new SluiceError('invalid-input', 'Choose a topic: the Kafka destination has no default topic and the sync takes none from its rows', [
        { path: 'kafka.topic', message: 'A topic is required' },
      ]);
    }
    refuseUnsendable(message, defaultTopic);
    const templates: [string, string, Source | undefined][] = [
      ['topic template', 'kafka.topic.template', message.topic],
      ['key template', 'kafka.key.template', message.key.kind === 'template' ? message.key : undefined],
      ['partition template', 'kafka.partition.template', message.partition],
      ...message.headers.map((h, i): [string, string, Source] => [`header "${h.name}"`, `kafka.headers.${i}.value`, { kind: 'template', template: h.value }]),
    ];
    for (const [where, path, source] of templates) {
      if (source?.kind !== 'template') continue;
      try {
        this.parsed.set(source.template, prepareTemplate(this.liquid, source.template));
      } catch (err) {
        throw templateError(err, where, path);
      }
    }
  }

  get tombstones(): boolean {
    return this.message.tombstones;
  }

  /** The last topic name found good (most runs have one or a few). */
  private goodTopic: string | undefined;

  render(ctx: RenderContext): KafkaProperties {
    const topic = this.topicFor(ctx);
    if (!topic) throw new RenderError('the topic is empty');
    if (topic !== this.goodTopic) {
      const problem = topicNameProblem(topic);
      if (problem) throw new RenderError(`the topic ${problem}`);
      this.goodTopic = topic;
    }
    const keySource = this.message.key;
    const key = keySource.kind === 'none' ? null : keySource.kind === 'primary-key' ? ctx.key : this.value(keySource, ctx, 'key') || null;
    // A tombstone says "this key is gone": with no key it was a record of neither key nor value, which no consumer can
    // tie to the removed row and a compacted topic refuses.
    if (key === null && ctx.event === 'removed' && this.message.tombstones)
      throw new RenderError(
        keySource.kind === 'none'
          ? 'a tombstone needs a key, and the sync sends its records without one (kafka.key: none): choose a key, or turn tombstones off'
          : 'a tombstone needs a key, and the key rendered empty for this row',
      );
    const partition = this.message.partition ? kafkaPartitionOf(this.value(this.message.partition, ctx, 'partition')) : null;
    const headers: Record<string, string> = {};
    for (const h of this.message.headers) headers[h.name] = this.value({ kind: 'template', template: h.value }, ctx, `header "${h.name}"`);
    return { topic, key, partition, headers };
  }

  /** The event's own topic (topicByTrigger), else the sync's topic (fixed or per row), else the destination's. */
  private topicFor(ctx: RenderContext): string {
    const own = this.message.topicByTrigger?.[ctx.event];
    if (own) return own;
    if (this.message.topic) return this.value(this.message.topic, ctx, 'topic');
    if (this.defaultTopic) return this.defaultTopic;
    throw new RenderError(`no topic for ${ctx.event} rows: set kafka.topicByTrigger.${ctx.event}, kafka.topic or the destination's topic`);
  }

  private value(source: Source, ctx: RenderContext, what: string): string {
    switch (source.kind) {
      case 'fixed':
        return source.value;
      case 'column': {
        const v = ctx.row[source.column];
        if (v === undefined) throw new RenderError(`the ${what} column "${source.column}" is not in the model`);
        if (v === null) throw new RenderError(`the ${what} column "${source.column}" is null`);
        return columnText(v);
      }
      case 'template':
        try {
          return this.parsed.get(source.template)!.render(ctx).trim();
        } catch (err) {
          throw new RenderError(`the ${what} template failed: ${(err as Error).message}`);
        }
    }
  }
}
