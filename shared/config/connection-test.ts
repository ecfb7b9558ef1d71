import { z } from 'zod';

export const CHECK_STEPS = ['Name resolution', 'TCP connection', 'TLS', 'Authentication', 'Authorisation', 'Listing'] as const;

export const CheckStepSchema = z.object({
  step: z.enum(CHECK_STEPS),
  /** `warning`: the step passed, but not everywhere (one of several brokers down): the test still passes, saying so. */
  status: z.enum(['ok', 'warning', 'failed', 'skipped']),
  /** What happened, in words a person can act on. */
  detail: z.string(),
  /** What to do about a failure. */
  hint: z.string().optional(),
  /** The error exactly as the peer or the system gave it. */
  raw: z.string().optional(),
  ms: z.number(),
});
export type CheckStep = z.infer<typeof CheckStepSchema>;

export const ConnectionTestSchema = z.object({
  destination: z.string(),
  ok: z.boolean(),
  steps: z.array(CheckStepSchema),
  /** Streams, delivery streams or topics the destination lists. */
  listed: z.array(z.string()),
  /** The AWS account of the credentials (STS GetCallerIdentity), when STS could be asked. */
  account: z.string().optional(),
  /** Assume role: who the base credentials are (an IAM user or role ARN) — the principal the role's trust policy trusts. */
  trustedIdentity: z.string().optional(),
  /** What the test learnt about the chosen stream (for the IAM policy): its ARN and whether it is KMS-encrypted. */
  target: z
    .object({
      arn: z.string().optional(),
      encrypted: z.boolean(),
      /** The KMS key of an encrypted stream (an ARN, alias or key id, as AWS reports it). */
      kmsKeyId: z.string().optional(),
    })
    .optional(),
});
export type ConnectionTest = z.infer<typeof ConnectionTestSchema>;
