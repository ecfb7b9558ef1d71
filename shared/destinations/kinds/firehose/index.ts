import { awsStreamSecrets } from '../../secret-identity';
import type { SharedKind } from '../kind';
import { firehosePolicy } from './policy';

export const firehoseShared: SharedKind<'firehose'> = {
  kind: 'firehose',
  noun: 'delivery stream',
  policy: firehosePolicy,
  ...awsStreamSecrets,
};
