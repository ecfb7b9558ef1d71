import { opt } from '../../wizard-state';
import { awsDestinationToForm, awsDraftCommon, awsSecretsInUse } from '../aws/aws-wizard';
import type { UiKind } from '../types';
import { FirehoseProperties } from './FirehoseProperties';
import { CreateDeliveryStreamFields, DeliveryStreamTarget, FirehoseConnectionFields, FirehoseLanded } from './FirehoseStream';
import { FirehoseSyncSection } from './FirehoseSyncSection';
import { firehoseSettings, firehoseSyncState } from './firehose-sync';

export const firehoseKind = {
  kind: 'firehose',
  label: 'Amazon Data Firehose',
  shortLabel: 'Firehose',
  noun: 'delivery stream',
  target: (d) => d.deliveryStream,
  where: (d) => `${d.region}${d.endpoint ? ` · ${d.endpoint}` : ''}`,
  // A delivery stream cannot be read: the inspector shows what the ledger says was sent.
  wire: {
    readable: false,
    inspector: {
      Target: DeliveryStreamTarget,
      defaultTopic: () => '',
      request: () => ({ from: { at: 'earliest' } }),
      readLabel: 'Show sent records',
    },
    Landed: FirehoseLanded,
  },
  MessageProperties: FirehoseProperties,
  syncSettings: { initial: firehoseSyncState, toSettings: firehoseSettings, elsewhere: 'With other routes', Section: FirehoseSyncSection },
  wizard: {
    about: 'PutRecordBatch to a delivery stream (S3, Redshift, …)',
    defaults: {},
    listsAwsProfiles: () => true,
    targetRequired: true,
    noTarget: 'Choose…',
    asksInspector: false,
    secretsInUse: awsSecretsInUse,
    toDraft: (f, name, target) => ({
      kind: 'firehose',
      ...awsDraftCommon(f, name),
      appendNewline: f.appendNewline,
      ...(opt(target) ? { deliveryStream: target.trim() } : {}),
    }),
    toForm: (d, f) => {
      awsDestinationToForm(d, f);
      f.target = d.deliveryStream;
      f.appendNewline = d.appendNewline;
    },
    ConnectionFields: FirehoseConnectionFields,
  },
  createTarget: {
    fields: ['deliveryStream', 'bucket', 'prefix', 'roleArn'],
    spec: (f) => ({
      kind: 'firehose',
      deliveryStream: f.name.trim(),
      bucket: f.bucket.trim(),
      roleArn: f.roleArn.trim(),
      ...(f.prefix.trim() ? { prefix: f.prefix.trim() } : {}),
    }),
    Fields: CreateDeliveryStreamFields,
  },
} satisfies UiKind<'firehose'>;
