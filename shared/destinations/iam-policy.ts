import type { DestinationDraft } from '../config/destination';
import { sharedKind } from './kinds/registry';
import type { IamPolicyAdvice, PolicyContext } from './policy-parts';

export {
  ACCOUNT_PLACEHOLDER,
  EXTERNAL_ID_PLACEHOLDER,
  type IamPolicyAdvice,
  type PolicyContext,
  type PolicyDocument,
  type PolicyStatement,
} from './policy-parts';

/**
 * The least-privilege IAM policy for exactly one destination configuration: what Sluice calls and
 * nothing more (each kind's own: shared/destinations/kinds/<kind>/policy.ts). A pure function of the
 * configuration and what the connection test learnt; null when the destination needs no IAM policy
 * (sandbox, Kafka without AWS IAM).
 */
export function iamPolicyFor(destination: DestinationDraft, context: PolicyContext): IamPolicyAdvice | null {
  return sharedKind(destination.kind).policy(destination, context);
}
