import { looksLikeArn } from '../../shared/config/stream-arn';

/**
 * How a Kinesis call names its stream: `StreamARN` when the destination gives the stream by ARN (the
 * SDK then also takes the account from it), else `StreamName`.
 */
export function kinesisStream(stream: string): { StreamName: string } | { StreamARN: string } {
  return looksLikeArn(stream) ? { StreamARN: stream } : { StreamName: stream };
}
