import { z } from 'zod';

const StatementSchema = z.object({
  Sid: z.string(),
  Effect: z.literal('Allow'),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.union([z.string(), z.array(z.string())]).optional(),
  Principal: z.object({ AWS: z.string() }).optional(),
  Condition: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())]))).optional(),
});

const PolicyDocumentSchema = z.object({ Version: z.literal('2012-10-17'), Statement: z.array(StatementSchema) });

/** The wire form of `IamPolicyAdvice` (see iam-policy.ts). */
export const IamPolicyAdviceSchema = z.object({
  attachTo: z.string(),
  policy: PolicyDocumentSchema,
  trustPolicy: PolicyDocumentSchema.optional(),
  basePolicy: PolicyDocumentSchema.optional(),
  placeholders: z.array(z.string()),
  trust: z.object({ account: z.string().optional(), principal: z.string().optional(), externalIds: z.array(z.string()) }).optional(),
});
