import type { SecretReference } from '../../shared/config/names';

export interface SourceSecretResolver {
  resolve(ref: SecretReference): Promise<string>;
}
