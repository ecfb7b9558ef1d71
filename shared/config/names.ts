import { z } from 'zod';

/** A name's rules, each broken one said of `what` ("A name", "The new name"): one sentence per problem. */
function nameSchema(what: string) {
  return (
    z
      .string()
      .trim()
      // An empty name is said once (it was also said to break the name's pattern).
      .min(1, { error: `${what} is required`, abort: true })
      .max(100, `${what} can be at most 100 characters`)
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/,
        `${what} starts with a letter or digit and may use letters, digits, spaces and . _ - (letters A–Z without accents)`,
      )
  );
}
/** Names people give sources, models, destinations and syncs; used in the CLI and config files. */
export const NameSchema = nameSchema('A name');
/** A rename's new name: its problems say "The new name …" (the input's field, `to` or `newName`, is no word of the app's). */
export const NewNameSchema = nameSchema('The new name');

/** Where a secret comes from: a keychain entry saved in Sluice, or an environment variable. */
export const SecretRefSchema = z.union(
  [
    z.object({ keychain: z.string().min(1) }).strict(),
    z
      .object({
        env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'An environment variable is named with letters, digits and _, not a digit first (like AWS_SECRET_ACCESS_KEY)'),
      })
      .strict(),
  ],
  { error: 'A secret is given by reference — { keychain: NAME } or { env: VARIABLE } — never as its value' },
);
export type SecretReference = z.infer<typeof SecretRefSchema>;
