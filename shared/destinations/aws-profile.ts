import { z } from 'zod';

/** A profile of the AWS shared config/credentials files, as the default-chain profile picker shows it. */
export const AwsProfileSchema = z.object({
  name: z.string(),
  /** How the profile gets credentials: IAM Identity Center (SSO), a role, a process, static keys, or other. */
  kind: z.enum(['sso', 'assume-role', 'process', 'static', 'other']),
  region: z.string().optional(),
  /** Which file(s) define it. */
  in: z.array(z.enum(['config', 'credentials'])),
});
export type AwsProfile = z.infer<typeof AwsProfileSchema>;
