// A destination's definition, of each kind: the built-in kinds' own schemas (shared/destinations/kinds/<kind>/schema.ts)
// assembled into one union, for the saved definition and for the wizard's draft; a kind registered at runtime
// (`registerDestinationSchemas`) is parsed with its own schemas.
import { z } from 'zod';
import { zodWords } from '../zod-words';
import { FirehoseDestinationSchema, FirehoseDraftSchema } from '../destinations/kinds/firehose/schema';
import { KafkaDestinationSchema } from '../destinations/kinds/kafka/schema';
import { KinesisDestinationSchema, KinesisDraftSchema, SandboxDestinationSchema } from '../destinations/kinds/kinesis/schema';
import { RegisteredKinds } from '../destinations/kinds/registered-kinds';

export { AwsAuthSchema, AwsRegionSchema, type AwsAuth } from './aws-auth';
export { KafkaAuthSchema, KafkaDestinationSchema, KafkaTlsSchema, mskRegionOf, regionOfMskBrokers, type KafkaAuth } from '../destinations/kinds/kafka/schema';
export { FirehoseDestinationSchema } from '../destinations/kinds/firehose/schema';
export { KinesisDestinationSchema, SandboxDestinationSchema } from '../destinations/kinds/kinesis/schema';

const BuiltInDestinationSchema = z.discriminatedUnion('kind', [
  KafkaDestinationSchema,
  KinesisDestinationSchema,
  FirehoseDestinationSchema,
  SandboxDestinationSchema,
]);
const BuiltInDraftSchema = z.discriminatedUnion('kind', [KafkaDestinationSchema, KinesisDraftSchema, FirehoseDraftSchema, SandboxDestinationSchema]);
const BUILT_IN_KINDS: readonly string[] = BuiltInDestinationSchema.options.map((o) => o.shape.kind.value);

/** What every destination definition has, whatever its kind (built in, or registered at runtime). */
export interface DestinationBase {
  kind: string;
  name: string;
}

/** A kind registered at runtime: its saved definition, and its draft in the wizard (where the stream may be unchosen). */
export interface DestinationSchemas<D extends DestinationBase = DestinationBase, Dr extends DestinationBase = D> {
  readonly kind: D['kind'];
  readonly definition: z.ZodType<D>;
  readonly draft: z.ZodType<Dr>;
}

const registered = new RegisteredKinds<DestinationSchemas>('definition schema', BUILT_IN_KINDS);

/** Lets `DestinationSchema` and `DestinationDraftSchema` take a kind that is not built in; returns its unregister. */
export function registerDestinationSchemas<D extends DestinationBase, Dr extends DestinationBase = D>(schemas: DestinationSchemas<D, Dr>): () => void {
  return registered.register(schemas);
}

/** Whether a kind is known now: built in, or registered. */
export function isDestinationKind(kind: unknown): boolean {
  return typeof kind === 'string' && (BUILT_IN_KINDS.includes(kind) || registered.find(kind) !== undefined);
}

function unknownKind(kind: unknown): string {
  const known = [...BUILT_IN_KINDS, ...registered.names()].map((k) => `'${k}'`).join(' | ');
  return kind === undefined ? `The destination kind is missing: expected ${known}` : `Unknown destination kind ${JSON.stringify(kind)}: expected ${known}`;
}

/** The schema of a definition's kind: the built-in union's (or a value that is no object: the union says so), a registered kind's own, none for any other kind. */
function schemaOf(value: unknown, builtIn: z.ZodType, registeredSchema: (s: DestinationSchemas) => z.ZodType): z.ZodType | undefined {
  if (typeof value !== 'object' || value === null) return builtIn;
  const { kind } = value as { kind?: unknown };
  if (typeof kind !== 'string') return undefined;
  if (BUILT_IN_KINDS.includes(kind)) return builtIn;
  const extra = registered.find(kind);
  return extra && registeredSchema(extra);
}

/**
 * A built-in union that also takes the kinds registered at runtime: a definition of a built-in kind is
 * parsed by the union as before, one of a registered kind by that kind's schema (its issues kept, paths
 * included), and any other kind is refused at `kind`, naming the kinds there are. `.options` are the
 * built-in kinds' schemas, as the union lists them. A registered kind's definition is typed as the union's
 * output: generic code holds it as a `Destination` and asks its kind about it (engineKind, sharedKind).
 */
function openUnion<U extends z.ZodDiscriminatedUnion<readonly z.ZodObject[], 'kind'>>(
  builtIn: U,
  registeredSchema: (s: DestinationSchemas) => z.ZodType<DestinationBase>,
) {
  const open = z.custom<z.input<U>>().transform((value, ctx): z.output<U> => {
    const schema = schemaOf(value, builtIn, registeredSchema);
    if (!schema) {
      const { kind } = value as { kind?: unknown };
      ctx.addIssue({ code: 'custom', path: ['kind'], message: unknownKind(kind), input: kind });
      return z.NEVER;
    }
    // Zod's own words in people's, as the outer parse would say them (its error map is not passed in here).
    const parsed = schema.safeParse(value, { error: zodWords });
    if (parsed.success) return parsed.data as z.output<U>;
    // The issues as they are (code, path, message); the input is the one above.
    ctx.issues.push(...parsed.error.issues.map((issue) => ({ ...issue, input: undefined })));
    return z.NEVER;
  });
  return Object.assign(open, { options: builtIn.options });
}

export const DestinationSchema = openUnion(BuiltInDestinationSchema, (s) => s.definition);
export type Destination = z.infer<typeof DestinationSchema>;

/**
 * A destination being set up in the wizard: like a destination, but the stream (or delivery stream)
 * may still be unchosen — it is picked from the list the connection test brings back.
 */
export const DestinationDraftSchema = openUnion(BuiltInDraftSchema, (s) => s.draft);
export type DestinationDraft = z.infer<typeof DestinationDraftSchema>;

/** A destination kind's name: a built-in kind, or one registered now. */
export const DestinationKindSchema = z.custom<Destination['kind']>(isDestinationKind, { error: (issue) => unknownKind(issue.input) });
