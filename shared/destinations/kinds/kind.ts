// What both sides (engine and UI) ask a destination kind, in pure TypeScript: its words, its
// least-privilege IAM policy, and where its secrets go. One object per kind (kinds/<kind>/index.ts), registered in registry.ts.
// The engine's side is main/destinations/kinds/, the UI's renderer/src/destinations/kinds/.
import type { Destination, DestinationBase, DestinationDraft } from '../../config/destination';
import type { IamPolicyAdvice, PolicyContext } from '../policy-parts';
import type { Credential, EndpointIdentity, TextHash } from '../secret-identity';

export type DestinationKind = Destination['kind'];

/** The shared side of a kind whose drafts are `Dr` (a built-in kind's is `SharedKind<K>`; a kind registered at runtime names its own type). */
export interface SharedKindFor<Dr extends DestinationBase> {
  readonly kind: Dr['kind'];
  /** What its records go to, in words: "stream", "delivery stream", "topic". */
  readonly noun: string;
  /** The least-privilege IAM policy for one configuration; null when it needs none (the sandbox, Kafka without AWS IAM). */
  policy(d: Dr, context: PolicyContext): IamPolicyAdvice | null;
  /** Where its credentials go: what its secrets are bound to (`main/secrets/endpoint-identity.ts`). */
  secretIdentity(d: Dr, hash: TextHash): EndpointIdentity;
  /** Every credential it would use, as connection tests and publishers resolve them. */
  credentials(d: Dr): Credential[];
}

export type SharedKind<K extends DestinationKind> = SharedKindFor<Extract<DestinationDraft, { kind: K }>>;
