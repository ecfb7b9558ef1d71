import type { DestinationDraft } from '../../shared/config/destination';
import type { SecretReference } from '../../shared/config/names';
import type { Source } from '../../shared/config/source';

export interface SourceSecretResolver {
  resolve(ref: SecretReference): Promise<string>;
  /** A secret learned at run time (e.g. temporary AWS credentials): redacted from then on. */
  remember?(value: string): void;
  /**
   * A resolver for this destination's own secrets only, refusing (before anything is read) a secret
   * bound to another destination's endpoints (issue 12; `secret-scope.ts`).
   */
  forDestination?(destination: DestinationDraft): SourceSecretResolver;
  /**
   * A resolver for this source's own secret only, refusing (before anything is read) a secret bound to
   * a destination or to a source on another server (issue 12). `openModel` requires it.
   */
  forSource?(source: Source): SourceSecretResolver;
}
