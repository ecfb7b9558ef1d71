import type { SharedKind } from '../kind';
import { mskPolicy } from './policy';
import { kafkaCredentials, kafkaIdentity } from './secret-identity';

export const kafkaShared: SharedKind<'kafka'> = {
  kind: 'kafka',
  noun: 'topic',
  policy: mskPolicy,
  secretIdentity: kafkaIdentity,
  credentials: kafkaCredentials,
};
