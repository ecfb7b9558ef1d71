import { KEY_WORDS, noPartitionKeyWords, type KeyService } from './partition-key-words';
import { LIQUID_OPTIONS } from '../../shared/payload/liquid-options';
import type { Row } from '../../shared/config/source';
import type { ExplicitHashKey, PartitionKey, Payload, SyncEvent } from '../../shared/config/sync';
import { parseExplicitHashKey } from '../routing/kinesis-hash';
import { md5Hex } from '../routing/kinesis-hash';
import { SluiceError } from '../../shared/ipc/errors';
import { minifyJsonBytesIfValid } from '../../shared/json/bytes';
import { minifyJson } from '../../shared/json/minify';
import { describeJsonError } from '../../shared/json/errors';
import { diagnoseTemplate } from '../../shared/payload/template-diagnostics';
import { columnText } from './row-identity';
import { liquidEngine } from './liquid-engine';
import { prepareTemplate, type PreparedTemplate } from './simple-template';
import { mappingJson } from './mapping-payload';
import { payloadProblem } from './payload-problem';

export interface RenderContext {
  key: string;
  event: SyncEvent;
  row: Row;
  previous: Row | null;
  run: { id: number; sync: string; startedAt: string };
}

export interface RenderedRecord {
  data: Buffer;
  partitionKey: string;
  /** Kinesis ExplicitHashKey (a validated 128-bit unsigned decimal), when the sync sets one. */
  explicitHashKey?: string;
}

/** Where renderBytes checks and minifies a record before copying it out (rendering is synchronous). */
const SCRATCH = Buffer.allocUnsafe(64 * 1024);

/** A per-row problem: the run records it against the row and goes on. */
export class RenderError extends Error {}
/** The row's partition key is null or empty (Kinesis refuses an empty one): a reason of its own, not a template error. */
export class NoPartitionKey extends RenderError {}

/** Where a Liquid parse error is, when the error knows. */
export function templatePosition(err: unknown): { line: number; column: number } | null {
  const pos = (err as { token?: { getPosition?: () => [number, number] } }).token?.getPosition?.();
  return pos ? { line: pos[0], column: pos[1] } : null;
}

/** Liquid's message without its own ", line:… col:…" suffix. */
export function templateMessage(err: unknown): string {
  return (err as Error).message.split(', line:')[0]!;
}

/** `where`: the template in words ("payload template"); `path`: its field in the sync (payload.template), as `sluice apply` names it in the file. */
export class TemplateError extends SluiceError {
  constructor(
    readonly where: string,
    readonly detail: string,
    readonly position: { line: number; column: number } | null,
    path = where,
  ) {
    const at = position ? ` at line ${position.line}, column ${position.column}` : '';
    super('invalid-input', `The ${where} has an error${at}: ${detail}`, [{ path, message: detail }]);
  }
}

export function templateError(err: unknown, where: string, path?: string): TemplateError {
  return new TemplateError(where, templateMessage(err), templatePosition(err), path);
}

/**
 * Turns a row into the bytes and partition key of one record. Templates are parsed once, when the
 * renderer is made (a syntax error stops the run before anything is sent); each render then only
 * evaluates. Output must be JSON; it is sent minified, numbers exactly as written.
 */
export class PayloadRenderer {
  private readonly liquid = liquidEngine();
  private readonly template: PreparedTemplate | undefined;
  private readonly keyTemplate: PreparedTemplate | undefined;
  private readonly hashKeyTemplate: PreparedTemplate | undefined;
  /** `unknownVariables`' words for the last set of columns seen. */
  private unknown: { columns: string; words: string } | undefined;
  /** The model's columns that hold numbers (`numberColumns`): a mapping sends their values carried as text as numbers. */
  private readonly numberColumns: ReadonlySet<string>;

  constructor(
    private readonly payload: Payload,
    private readonly partitionKey: PartitionKey,
    private readonly explicitHashKey?: ExplicitHashKey,
    numberColumns: Iterable<string> = [],
    /** What the partition key's limits are said of: the service of the destination's kind (`keyService`). */
    private readonly service: KeyService = 'Kinesis',
  ) {
    this.numberColumns = new Set(numberColumns);
    if (explicitHashKey?.kind === 'template') {
      try {
        this.hashKeyTemplate = prepareTemplate(this.liquid, explicitHashKey.template);
      } catch (err) {
        throw templateError(err, 'explicit hash key template', 'explicitHashKey.template');
      }
    }
    payloadProblem(payload);
    if (payload.mode === 'template') {
      try {
        this.template = prepareTemplate(this.liquid, payload.template);
      } catch (err) {
        throw templateError(err, 'payload template', 'payload.template');
      }
    }
    if (partitionKey.kind === 'template') {
      try {
        this.keyTemplate = prepareTemplate(this.liquid, partitionKey.template);
      } catch (err) {
        throw templateError(err, 'partition key template', 'partitionKey.template');
      }
    }
  }

  /** This renderer for a model whose columns holding numbers are these (a run knows them once it has read the model). */
  withNumberColumns(numberColumns: Iterable<string>): PayloadRenderer {
    return new PayloadRenderer(this.payload, this.partitionKey, this.explicitHashKey, numberColumns, this.service);
  }

  render(ctx: RenderContext): RenderedRecord {
    const record: RenderedRecord = { data: this.renderBytes(ctx), partitionKey: this.renderPartitionKey(ctx) };
    if (this.explicitHashKey) record.explicitHashKey = this.renderExplicitHashKey(ctx);
    return record;
  }

  /** The partition key alone (for routing previews, without rendering the payload). */
  renderKey(ctx: RenderContext): { partitionKey: string; explicitHashKey?: string } {
    const partitionKey = this.renderPartitionKey(ctx);
    return this.explicitHashKey ? { partitionKey, explicitHashKey: this.renderExplicitHashKey(ctx) } : { partitionKey };
  }

  private renderExplicitHashKey(ctx: RenderContext): string {
    const source = this.explicitHashKey!;
    let text: string;
    if (source.kind === 'column') {
      const v = ctx.row[source.column];
      if (v === undefined) throw new RenderError(`the explicit hash key column "${source.column}" is not in the model`);
      if (v === null) throw new RenderError(`the explicit hash key column "${source.column}" is null`);
      text = columnText(v);
    } else {
      try {
        text = this.hashKeyTemplate!.render(ctx);
      } catch (err) {
        throw new RenderError(`the explicit hash key template failed: ${(err as Error).message}`);
      }
    }
    const parsed = parseExplicitHashKey(text.trim());
    if (!parsed.ok) throw new RenderError(parsed.message);
    return text.trim();
  }

  /**
   * The payload as the bytes to send: the same bytes as renderJson's text, made without JSON.parse
   * and without building the minified text. The output is encoded into a scratch buffer, checked and
   * minified there in one pass, then copied out at its final size. Output the byte check refuses goes
   * through renderJson, which names the error (or accepts it after trimming Unicode spaces, as it
   * always has).
   */
  renderBytes(ctx: RenderContext): Buffer {
    if (this.payload.mode !== 'template') return Buffer.from(this.renderJson(ctx), 'utf8');
    const text = this.renderTemplate(ctx);
    const fits = text.length * 3 <= SCRATCH.length; // UTF-8 takes at most 3 bytes per UTF-16 unit
    const bytes = fits ? SCRATCH : Buffer.from(text, 'utf8');
    const length = minifyJsonBytesIfValid(bytes, fits ? SCRATCH.write(text, 0, 'utf8') : bytes.length);
    if (length < 0) return Buffer.from(this.validJson(text.trim(), 'The template output', ctx), 'utf8');
    if (!fits) return bytes.subarray(0, length);
    const out = Buffer.allocUnsafe(length);
    SCRATCH.copy(out, 0, 0, length);
    return out;
  }

  private renderTemplate(ctx: RenderContext): string {
    try {
      return this.template!.render(ctx);
    } catch (err) {
      throw new RenderError(`the template failed: ${explainLiquidFailure((err as Error).message)}`);
    }
  }

  renderJson(ctx: RenderContext): string {
    switch (this.payload.mode) {
      case 'template':
        return this.validJson(this.renderTemplate(ctx).trim(), 'The template output', ctx);
      case 'json-column': {
        const value = ctx.row[this.payload.column];
        if (value === undefined) throw new RenderError(`the model has no column "${this.payload.column}"`);
        if (value === null) throw new RenderError(`the column "${this.payload.column}" is null`);
        if (typeof value === 'string') return this.validJson(value.trim(), `The column "${this.payload.column}"`);
        return JSON.stringify(value);
      }
      case 'mapping': {
        const missing = this.payload.fields.find((field) => !Object.hasOwn(ctx.row, field.column));
        if (missing) throw new RenderError(`the model has no column "${missing.column}"`);
        return mappingJson(this.payload.fields, ctx.row, this.numberColumns);
      }
    }
  }

  private renderPartitionKey(ctx: RenderContext): string {
    let key: string;
    switch (this.partitionKey.kind) {
      case 'primary-key':
        key = ctx.key;
        break;
      case 'column': {
        const v = ctx.row[this.partitionKey.column];
        if (v === undefined) throw new RenderError(`the partition-key column "${this.partitionKey.column}" is not in the model`);
        if (v === null) throw new NoPartitionKey(`the partition-key column "${this.partitionKey.column}" is null`);
        key = columnText(v);
        break;
      }
      case 'template':
        try {
          key = this.keyTemplate!.render(ctx).trim();
        } catch (err) {
          throw new RenderError(`the partition key template failed: ${(err as Error).message}`);
        }
        break;
      case 'first-present': {
        const found = this.partitionKey.columns
          .map((column) => {
            const v = ctx.row[column];
            if (v === undefined) throw new RenderError(`the partition-key column "${column}" is not in the model`);
            return v === null ? '' : columnText(v);
          })
          .find((text) => text.trim().length > 0); // whitespace only counts as no value
        if (found === undefined) throw new NoPartitionKey(noPartitionKeyWords(this.partitionKey.columns, this.service));
        key = found;
        break;
      }
      case 'message-id':
        // Deterministic per run and row: a retry keeps its shard; keys spread evenly whatever their skew.
        key = md5Hex(`${ctx.run.id}\u0000${ctx.key}`);
        break;
    }
    if (key.length === 0) throw new NoPartitionKey('the partition key is empty');
    if (key.length > 256) throw new RenderError(`the partition key is ${key.length} characters; ${KEY_WORDS[this.service].long}`);
    return key;
  }

  /** `text` minified; else a RenderError naming the error's place, and for the template's output (`ctx` given) the variables it reads that this row lacks. */
  private validJson(text: string, what: string, ctx?: RenderContext): string {
    try {
      JSON.parse(text);
    } catch {
      // A template's output gets the hints of templates; a JSON column's does not (it has no template).
      const hints = ctx
        ? ` (strings need "quotes"; the json filter adds them: {{ row.name | json }})${this.unknownVariables(ctx.row, ctx.previous)}${this.nullOutputs(ctx.row)}`
        : '';
      throw new RenderError(`${what} is not valid JSON: ${describeJsonError(text)}${hints}`);
    }
    return minifyJson(text);
  }

  /**
   * The template's plain outputs of a column (`{{ row.n }}`) that is NULL in this row, outside a JSON string
   * (inside one, nothing is valid): each renders as nothing. A string is told by the double quotes of the
   * template's text before it, Liquid's own tags and outputs left out.
   */
  private nullOutputs(row: Row): string {
    if (this.payload.mode !== 'template') return '';
    const template = this.payload.template;
    const names = new Set<string>();
    for (const m of template.matchAll(/\{\{-?\s*row\.([A-Za-z_]\w*)\s*-?\}\}/g)) {
      if (row[m[1]!] !== null) continue;
      const text = template.slice(0, m.index).replace(/\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}|\\./g, '');
      if ((text.match(/"/g)?.length ?? 0) % 2 === 0) names.add(m[1]!);
    }
    return [...names].map((n) => `. row.${n} is null in this row, which renders as nothing: {{ row.${n} | json }} writes null`).join('');
  }

  /**
   * The template's reads of variables this row (or its previous) lacks (`row.nope` renders as nothing, which usually
   * breaks the JSON), as the editor says them, with the closest column; worked out once per set of columns.
   */
  private unknownVariables(row: Row, previous: Row | null): string {
    const columns = Object.keys(row);
    const before = previous && Object.keys(previous); // judged by its own columns: the row as last delivered keeps those it had then
    const id = `${columns.join('\u0000')}\u0001${before?.join('\u0000') ?? '\u0002'}`;
    if (this.unknown?.columns !== id && this.payload.mode === 'template') {
      const found = diagnoseTemplate(this.payload.template, columns, 'row', before).warnings.map((w) => w.message);
      this.unknown = { columns: id, words: found.length > 0 ? `. ${found.join('; ')}` : '' };
    }
    return this.unknown?.words ?? '';
  }
}

/** liquidjs' words for the limits Sluice sets (`LIQUID_OPTIONS`), said for a person. */
export function explainLiquidFailure(message: string): string {
  if (/Failed to lookup/.test(message)) return `templates cannot read files ({% include %}, {% render %} and {% layout %} find nothing) — ${message}`;
  if (/memory alloc limit exceeded/.test(message)) return `the template built more than its memory limit allows (a loop too long?) — ${message}`;
  if (/template render limit exceeded/.test(message))
    return `the template took longer than ${LIQUID_OPTIONS.renderLimit} ms for one row (a loop too long?) — ${message}`;
  if (/parse length limit exceeded/.test(message))
    return `the template is longer than ${LIQUID_OPTIONS.parseLimit.toLocaleString('en-US')} characters — ${message}`;
  return message;
}
