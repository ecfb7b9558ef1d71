/**
 * Channels for creating Kafka topics, Kinesis streams and Firehose delivery streams, and for sending one
 * test record from the payload editor (issue #14). Spread into the one contract in shared/ipc/contract.ts.
 */
export const streamChannels = {} as const;
