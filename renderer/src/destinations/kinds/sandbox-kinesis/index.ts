import { KinesisProperties } from '../kinesis/KinesisProperties';
import { kinesisWire } from '../kinesis/kinesis-wire';
import type { UiKind } from '../types';

/** The built-in sandbox: a local Kinesis stream, read, keyed and shown as Kinesis; Sluice makes it, so no wizard. */
export const sandboxKinesisKind = {
  kind: 'sandbox-kinesis',
  label: 'Sandbox Kinesis stream',
  shortLabel: 'sandbox Kinesis',
  noun: 'stream',
  target: (d) => d.stream,
  where: () => 'local, started by Sluice on 127.0.0.1; its records kept in the workspace',
  wire: kinesisWire,
  MessageProperties: KinesisProperties,
} satisfies UiKind<'sandbox-kinesis'>;
