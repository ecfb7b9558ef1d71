import { z } from 'zod';

/** Names people give sources, models, destinations and syncs; used in the CLI and config files. */
export const NameSchema = z
  .string()
  .trim()
  .min(1, 'A name is required')
  .max(100, 'A name can be at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'A name starts with a letter or digit and may use letters, digits, spaces and . _ - (letters A–Z without accents)');

/** Where a secret comes from: a keychain entry saved in Sluice, or an environment variable. */
export const SecretRefSchema = z.union(
  [
    z.object({ keychain: z.string().min(1) }).strict(),
    z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'An environment variable name') }).strict(),
  ],
  { error: 'A secret is given by reference — { keychain: NAME } or { env: VARIABLE } — never as its value' },
);
export type SecretReference = z.infer<typeof SecretRefSchema>;
