// What both sides (engine and UI) ask a destination kind, in pure TypeScript: its words and its
// least-privilege IAM policy. One object per kind (kinds/<kind>/index.ts), registered in registry.ts.
// The engine's side is main/destinations/kinds/, the UI's renderer/src/destinations/kinds/.
import type { Destination, DestinationBase, DestinationDraft } from '../../config/destination';
import type { IamPolicyAdvice, PolicyContext } from '../policy-parts';

export type DestinationKind = Destination['kind'];

/** The shared side of a kind whose drafts are `Dr` (a built-in kind's is `SharedKind<K>`; a kind registered at runtime names its own type). */
export interface SharedKindFor<Dr extends DestinationBase> {
  readonly kind: Dr['kind'];
  /** What its records go to, in words: "stream", "delivery stream", "topic". */
  readonly noun: string;
  /** The least-privilege IAM policy for one configuration; null when it needs none (the sandbox, Kafka without AWS IAM). */
  policy(d: Dr, context: PolicyContext): IamPolicyAdvice | null;
}

export type SharedKind<K extends DestinationKind> = SharedKindFor<Extract<DestinationDraft, { kind: K }>>;
