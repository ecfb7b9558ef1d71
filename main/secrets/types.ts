import type { SecretReference } from '../../shared/config/names';

export interface SourceSecretResolver {
  resolve(ref: SecretReference): Promise<string>;
  /** A secret learned at run time (e.g. temporary AWS credentials): redacted from then on. */
  remember?(value: string): void;
}
