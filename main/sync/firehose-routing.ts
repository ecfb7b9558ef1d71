import type { Liquid } from 'liquidjs';
import type { FirehoseRouting } from '../../shared/config/sync';
import { liquidEngine } from './liquid-engine';
import { RenderError, templateError, type RenderContext } from './payload-renderer';
import { columnText } from './row-identity';
import { prepareTemplate, type PreparedTemplate } from './simple-template';

/**
 * A record no event → delivery stream row matches, under `unmatched: skip`: not sent, and not a
 * failure (Segment simply does not send such events).
 */
export class UnmatchedEvent extends Error {}

/**
 * Firehose event mapping, as the Segment Firehose seed describes it: rows of "event name or event
 * type → delivery stream". The event type is the sync event (added / changed / removed); the event
 * name is a column's or a template's value for the row. `*` matches everything. Event names and
 * types compare case-insensitively; stream names are used exactly as written. Rows are tried in
 * order and the first match wins.
 */
export class FirehoseRouter {
  private readonly liquid: Liquid = liquidEngine();
  private readonly nameTemplate: PreparedTemplate | undefined;

  constructor(private readonly routing: FirehoseRouting) {
    if (routing.eventName?.kind === 'template') {
      try {
        this.nameTemplate = prepareTemplate(this.liquid, routing.eventName.template);
      } catch (err) {
        throw templateError(err, 'Firehose event name template', 'firehose.eventName.template');
      }
    }
  }

  /** The event name of a row (null without an event-name source). */
  eventName(ctx: RenderContext): string | null {
    const source = this.routing.eventName;
    if (!source) return null;
    if (source.kind === 'column') {
      const v = ctx.row[source.column];
      if (v === undefined) throw new RenderError(`the event name column "${source.column}" is not in the model`);
      return v === null ? null : columnText(v);
    }
    try {
      return this.nameTemplate!.render(ctx).trim();
    } catch (err) {
      throw new RenderError(`the event name template failed: ${(err as Error).message}`);
    }
  }

  /**
   * The delivery stream for the record. When nothing matches: UnmatchedEvent (`unmatched: skip`, the
   * default) or a RenderError (`unmatched: reject`), each saying which event matched nothing.
   */
  route(ctx: RenderContext): string {
    const name = this.eventName(ctx);
    const candidates = [ctx.event.toLowerCase(), ...(name ? [name.toLowerCase()] : [])];
    for (const r of this.routing.routes) {
      const match = r.match.trim().toLowerCase();
      if (match === '*' || candidates.includes(match)) return r.stream;
    }
    const what = name ? `event type "${ctx.event}" or event name "${name}"` : `event type "${ctx.event}"`;
    if (this.routing.unmatched === 'skip') throw new UnmatchedEvent(`no event → delivery stream row matches the ${what}; skipped (firehose.unmatched: skip)`);
    throw new RenderError(`no event → delivery stream row matches the ${what}; add a row for it, or a * row for everything else`);
  }
}
