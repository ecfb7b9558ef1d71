import { opt } from '../../wizard-state';
import { awsDestinationToForm, awsDraftCommon, awsSecretsInUse } from '../aws/aws-wizard';
import { num } from '../shared/create-target-form';
import type { UiKind } from '../types';
import { KinesisConnectionFields } from './KinesisConnectionFields';
import { KinesisProperties } from './KinesisProperties';
import { CreateStreamFields } from './KinesisStream';
import { kinesisWire } from './kinesis-wire';

export const kinesisKind = {
  kind: 'kinesis',
  label: 'Amazon Kinesis Data Streams',
  shortLabel: 'Kinesis',
  noun: 'stream',
  target: (d) => d.stream,
  where: (d) => `${d.region}${d.endpoint ? ` · ${d.endpoint}` : ''}`,
  wire: kinesisWire,
  MessageProperties: KinesisProperties,
  wizard: {
    about: 'PutRecords to a data stream',
    defaults: {},
    listsAwsProfiles: () => true,
    targetRequired: true,
    noTarget: 'Choose…',
    asksInspector: true,
    secretsInUse: awsSecretsInUse,
    toDraft: (f, name, target) => ({ kind: 'kinesis', ...awsDraftCommon(f, name), ...(opt(target) ? { stream: target.trim() } : {}) }),
    toForm: (d, f) => {
      awsDestinationToForm(d, f);
      f.target = d.stream;
    },
    ConnectionFields: KinesisConnectionFields,
  },
  createTarget: {
    fields: ['stream', 'shardCount'],
    spec: (f) => ({ kind: 'kinesis', stream: f.name.trim(), mode: f.mode, ...(f.mode === 'provisioned' ? { shardCount: num(f.shardCount) } : {}) }),
    Fields: CreateStreamFields,
  },
} satisfies UiKind<'kinesis'>;
