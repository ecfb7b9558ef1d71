import type { Liquid } from 'liquidjs';
import type { KafkaMessage } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import type { KafkaProperties } from '../publishers/publisher';
import { liquidEngine, RenderError, templateError, type RenderContext } from './payload-renderer';
import { columnText } from './row-identity';
import { prepareTemplate, type PreparedTemplate } from './simple-template';

type Source = { kind: 'fixed'; value: string } | { kind: 'column'; column: string } | { kind: 'template'; template: string };

/** Renders a record's Kafka properties: topic (fixed or per row), key, partition and headers. */
export class KafkaMessageRenderer {
  private readonly liquid: Liquid = liquidEngine();
  private readonly parsed = new Map<string, PreparedTemplate>();

  constructor(
    private readonly message: KafkaMessage,
    private readonly defaultTopic: string | undefined,
  ) {
    if (!message.topic && !defaultTopic) {
      throw new SluiceError('invalid-input', 'Choose a topic: the Kafka destination has no default topic and the sync takes none from its rows', [{ path: 'kafka.topic', message: 'A topic is required' }]);
    }
    const templates: [string, Source | undefined][] = [
      ['topic template', message.topic],
      ['key template', message.key.kind === 'template' ? message.key : undefined],
      ['partition template', message.partition],
      ...message.headers.map((h): [string, Source] => [`header "${h.name}"`, { kind: 'template', template: h.value }]),
    ];
    for (const [where, source] of templates) {
      if (source?.kind !== 'template') continue;
      try {
        this.parsed.set(source.template, prepareTemplate(this.liquid, source.template));
      } catch (err) {
        throw templateError(err, where);
      }
    }
  }

  get tombstones(): boolean {
    return this.message.tombstones;
  }

  render(ctx: RenderContext): KafkaProperties {
    const topic = this.message.topic ? this.value(this.message.topic, ctx, 'topic') : this.defaultTopic!;
    if (!topic) throw new RenderError('the topic is empty');
    const keySource = this.message.key;
    const key = keySource.kind === 'none' ? null : keySource.kind === 'primary-key' ? ctx.key : this.value(keySource, ctx, 'key') || null;
    let partition: number | null = null;
    if (this.message.partition) {
      // As the seed says: cast to a number; anything else is null (and the key decides).
      const text = this.value(this.message.partition, ctx, 'partition').trim();
      partition = /^\d+$/.test(text) ? Number(text) : null;
    }
    const headers: Record<string, string> = {};
    for (const h of this.message.headers) headers[h.name] = this.value({ kind: 'template', template: h.value }, ctx, `header "${h.name}"`);
    return { topic, key, partition, headers };
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
