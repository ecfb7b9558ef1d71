/**
 * A Kinesis stream or Firehose delivery stream given by its ARN instead of its name: the name, region
 * and account come from the ARN (`arn:aws:kinesis:eu-west-1:123456789012:stream/orders`,
 * `arn:aws:firehose:eu-west-1:123456789012:deliverystream/events`).
 */
export interface StreamArn {
  arn: string;
  partition: string;
  region: string;
  account: string;
  name: string;
}

const PATTERN = {
  kinesis: /^arn:(aws[a-z-]*):kinesis:([a-z0-9-]+):(\d{12}):stream\/([A-Za-z0-9_.-]{1,128})$/,
  firehose: /^arn:(aws[a-z-]*):firehose:([a-z0-9-]+):(\d{12}):deliverystream\/([A-Za-z0-9_.-]{1,64})$/,
} as const;

export const looksLikeArn = (value: string): boolean => value.startsWith('arn:');

/** The parts of a stream ARN; undefined for a plain name or an ARN of another shape. */
export function parseStreamArn(value: string, service: 'kinesis' | 'firehose'): StreamArn | undefined {
  const m = PATTERN[service].exec(value);
  return m ? { arn: value, partition: m[1]!, region: m[2]!, account: m[3]!, name: m[4]! } : undefined;
}

/** The stream's name, whether it is given by name or by ARN. */
export function streamNameOf(value: string, service: 'kinesis' | 'firehose'): string {
  return parseStreamArn(value, service)?.name ?? value;
}

/** Whether two destinations' streams are one: the same region and name, given by name or by ARN (two ARNs: the same ARN, so the same account too). */
export function sameStream(a: { region: string; stream: string }, b: { region: string; stream: string }, service: 'kinesis' | 'firehose'): boolean {
  const arnA = parseStreamArn(a.stream, service);
  const arnB = parseStreamArn(b.stream, service);
  if (arnA && arnB) return arnA.arn === arnB.arn;
  return a.region === b.region && (arnA?.name ?? a.stream) === (arnB?.name ?? b.stream);
}

/** What each service's streams are called, and the longest name it takes (an ARN may be longer). */
const STREAM = { kinesis: { what: 'stream', maxName: 128 }, firehose: { what: 'delivery stream', maxName: 64 } } as const;

/** Why a stream given by ARN cannot be used by a destination of this region; undefined when it can (or it is a name). */
export function streamArnProblem(value: string | undefined, service: 'kinesis' | 'firehose', region: string): string | undefined {
  if (!value || !looksLikeArn(value)) return undefined;
  const arn = parseStreamArn(value, service);
  const { what } = STREAM[service];
  if (!arn)
    return `This is not a ${what} ARN: it looks like ${service === 'kinesis' ? 'arn:aws:kinesis:REGION:ACCOUNT:stream/NAME' : 'arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME'}`;
  if (arn.region !== region)
    return `The ${what} ARN is in ${arn.region} but the destination's region is ${region}: set the region to ${arn.region}, or choose a ${what} in ${region}`;
  return undefined;
}

/** The characters AWS takes in a Kinesis stream's or Firehose delivery stream's name. */
const STREAM_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Why a destination cannot use this stream (a name too long or of characters AWS refuses; an ARN of another shape or
 * region); undefined when it can, or none is chosen yet. (A name with a space or a slash was applied, and every record
 * of its runs failed: Kinesis said "contains invalid characters", Firehose that the delivery stream was not found.)
 */
export function streamProblem(value: string | undefined, service: 'kinesis' | 'firehose', region: string): string | undefined {
  const { what, maxName } = STREAM[service];
  if (value && !looksLikeArn(value) && value.length > maxName) return `A ${what} name is at most ${maxName} characters`;
  if (value && !looksLikeArn(value) && !STREAM_NAME.test(value))
    return `${JSON.stringify(value)} is not a ${what} name: letters, digits, "_", "." and "-" (or the ${what}'s ARN)`;
  return streamArnProblem(value, service, region);
}
