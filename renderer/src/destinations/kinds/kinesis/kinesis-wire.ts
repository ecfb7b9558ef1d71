import type { WireUi } from '../types';
import { KinesisLanded, KinesisRows, StreamTarget } from './KinesisStream';

/** A Kinesis stream as the engine reports it: the destination's and the sandbox's. */
export const kinesisWire: WireUi<'kinesis'> = {
  readable: true,
  inspector: {
    Target: StreamTarget,
    defaultTopic: () => '',
    parts: {
      label: 'Shards',
      choices: (targets) => targets.shards.map((s) => s.shardId),
      starts: [
        ['earliest', 'TRIM_HORIZON (oldest)'],
        ['latest', 'LATEST (new records only)'],
        ['timestamp', 'AT_TIMESTAMP'],
        ['sequence', 'AT_SEQUENCE_NUMBER'],
      ],
    },
    request: (_topic, parts, from) => ({ ...(parts.length ? { shards: parts } : {}), from }),
    readLabel: 'Read records',
  },
  records: { Rows: KinesisRows, text: (r) => r.data.text },
  Landed: KinesisLanded,
};
