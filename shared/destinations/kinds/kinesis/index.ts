import { awsStreamSecrets } from '../../secret-identity';
import type { SharedKind } from '../kind';
import { kinesisPolicy } from './policy';

export const kinesisShared: SharedKind<'kinesis'> = {
  kind: 'kinesis',
  noun: 'stream',
  policy: kinesisPolicy,
  ...awsStreamSecrets,
};

/** The built-in sandbox: a local Kinesis stream that needs no IAM policy and no credentials of the user's. */
export const sandboxShared: SharedKind<'sandbox-kinesis'> = {
  kind: 'sandbox-kinesis',
  noun: 'stream',
  policy: () => null,
  secretIdentity: () => ({ kind: 'sandbox' }),
  credentials: () => [],
};
