import type { DestinationDraft } from '../../shared/config/destination';
import type { SecretReference } from '../../shared/config/names';

export interface SourceSecretResolver {
  resolve(ref: SecretReference): Promise<string>;
  /** A secret learned at run time (e.g. temporary AWS credentials): redacted from then on. */
  remember?(value: string): void;
  /**
   * A resolver for this destination's own secrets only, refusing (before anything is read) a secret
   * bound to another destination's endpoints (issue 12; `secret-scope.ts`).
   */
  forDestination?(destination: DestinationDraft): SourceSecretResolver;
}
