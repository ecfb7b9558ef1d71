import { z } from 'zod';
import { NameSchema } from './names';
import { PayloadSchema, SyncEventSchema } from './sync';

/** Longest expected JSON a template test keeps (characters). */
export const TEMPLATE_TEST_MAX_EXPECTED = 262_144;
/** Longest row key a template test names (characters). */
export const TEMPLATE_TEST_MAX_KEY = 1024;

/** A template test's row key, as the app saves it and a config file gives it (one limit for both). */
export const TemplateTestKeySchema = z
  .string()
  .min(1, 'Give the key of the row')
  .max(TEMPLATE_TEST_MAX_KEY, `A row key can be at most ${TEMPLATE_TEST_MAX_KEY} characters`);

/** A template test's expected JSON text, as the app saves it and a config file gives it (one limit for both). */
export const TemplateTestExpectedSchema = z
  .string()
  .min(1, 'The expected JSON is empty')
  .max(TEMPLATE_TEST_MAX_EXPECTED, `The expected JSON can be at most ${TEMPLATE_TEST_MAX_EXPECTED} characters`);

/** A saved template test: a row (by key, its values kept) and the JSON the payload must produce for it. */
export const TemplateTestCaseSchema = z.object({
  id: z.number().int(),
  sync: z.string(),
  key: z.string(),
  event: SyncEventSchema,
  /** The row's values when the case was saved (the case does not change when the model does). */
  row: z.string(),
  previous: z.string().nullable(),
  expected: z.string(),
  createdAt: z.string(),
});
export type TemplateTestCase = z.infer<typeof TemplateTestCaseSchema>;

export const SaveTemplateTestSchema = z
  .object({
    sync: NameSchema,
    key: TemplateTestKeySchema,
    event: SyncEventSchema.default('added'),
    /** The JSON the row must produce. */
    expected: TemplateTestExpectedSchema,
  })
  .strict();

export const RunTemplateTestsSchema = z
  .object({
    sync: z.string().min(1),
    /** An unsaved payload from the editor; the sync's saved payload otherwise. */
    payload: PayloadSchema.optional(),
  })
  .strict();

export const TemplateTestResultSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  event: SyncEventSchema,
  passed: z.boolean(),
  expected: z.string(),
  /** Pretty JSON the payload produced now, or null when it failed to render ("null" for a tombstone). */
  actual: z.string().nullable(),
  /**
   * The record is a tombstone (no value), not the payload: a removed row of a Kafka sync that sends removals as
   * tombstones, as its runs send it. Compared as the JSON null: such a case expects null.
   */
  tombstone: z.boolean().optional(),
  error: z.string().nullable(),
  differences: z.array(z.object({ path: z.string(), expected: z.string().nullable(), actual: z.string().nullable() })),
});
export type TemplateTestResult = z.infer<typeof TemplateTestResultSchema>;

export const TemplateTestRunSchema = z.object({
  sync: z.string(),
  passed: z.number().int(),
  failed: z.number().int(),
  results: z.array(TemplateTestResultSchema),
  /** The template does not parse: nothing could run. */
  problem: z.string().nullable(),
});
export type TemplateTestRun = z.infer<typeof TemplateTestRunSchema>;

/** A template test in config as code (JSON kept as text so big numbers stay exact). */
/** What is wrong with this JSON text (`object`: it must be a JSON object), or null. */
function jsonProblem(text: string, object: boolean): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `Not JSON: ${(err as Error).message}`;
  }
  return object && (typeof value !== 'object' || value === null || Array.isArray(value)) ? 'Not a JSON object of column values, e.g. {"id": 1}' : null;
}
const jsonText = (object: boolean) =>
  z.string().superRefine((text, ctx) => {
    const problem = jsonProblem(text, object);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

export const TemplateTestConfigSchema = z
  .object({
    sync: z.string().min(1),
    key: TemplateTestKeySchema,
    event: SyncEventSchema.default('added'),
    /** The row's values as JSON text: an object. */
    row: jsonText(true),
    previous: jsonText(true).nullable().default(null),
    expected: TemplateTestExpectedSchema.pipe(jsonText(false)),
  })
  .strict();
export type TemplateTestConfig = z.infer<typeof TemplateTestConfigSchema>;
