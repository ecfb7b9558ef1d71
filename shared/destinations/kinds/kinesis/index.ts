import type { SharedKind } from '../kind';
import { kinesisPolicy } from './policy';

export const kinesisShared: SharedKind<'kinesis'> = { kind: 'kinesis', noun: 'stream', policy: kinesisPolicy };

/** The built-in sandbox: a local Kinesis stream that needs no IAM policy. */
export const sandboxShared: SharedKind<'sandbox-kinesis'> = { kind: 'sandbox-kinesis', noun: 'stream', policy: () => null };
