import type { TestRecord } from '../../../../../shared/ipc/channels/streams';
import { AwsConnectionFields } from '../aws/AwsConnectionFields';
import type { CreateTargetFieldsProps, TargetsOf, WizardFieldsProps } from '../types';

/** The inspector's target: the delivery stream, whose records are shown from the ledger. */
export function DeliveryStreamTarget({ targets }: { targets: TargetsOf<'firehose'> }) {
  return (
    <div className="field">
      <span>Delivery stream</span>
      <span className="mono">{targets.deliveryStream}</span>
    </div>
  );
}

/** Where a test record went. */
export function FirehoseLanded({ landed: l }: { landed: Extract<TestRecord['landed'], { kind: 'firehose' }> }) {
  return (
    <>
      delivery stream <code>{l.deliveryStream}</code>, record id <code>{l.recordId}</code>
    </>
  );
}

/** A Firehose destination's connection: region, endpoint, credentials, and the newline after each record. */
export function FirehoseConnectionFields(props: WizardFieldsProps) {
  const { form, set } = props;
  return (
    <AwsConnectionFields service="firehose" {...props}>
      <label className="check">
        <input type="checkbox" checked={form.appendNewline} onChange={(e) => set('appendNewline', e.target.checked)} /> Append a newline to each record
      </label>
    </AwsConnectionFields>
  );
}

/** The wizard's "Create a new delivery stream" fields (Direct PUT to S3). */
export function CreateDeliveryStreamFields({ field }: CreateTargetFieldsProps) {
  return (
    <>
      {field('Delivery stream name', 'name', 'deliveryStream', { placeholder: 'events-to-s3' })}
      <div className="row">
        {field('S3 bucket', 'bucket', 'bucket', { placeholder: 'my-data-lake' })}
        {field('Prefix (optional)', 'prefix', 'prefix', { placeholder: 'events/' })}
      </div>
      {field('Role ARN for S3 delivery', 'roleArn', 'roleArn', { placeholder: 'arn:aws:iam::123456789012:role/firehose-to-s3' })}
      <p className="muted small explain">
        Firehose writes to the bucket as an IAM role of its own, not with your credentials. The role’s trust policy must let <code>firehose.amazonaws.com</code>{' '}
        assume it, and its policy must allow <code>s3:PutObject</code>, <code>s3:GetBucketLocation</code> and <code>s3:ListBucket</code> on the bucket. Creating
        the delivery stream needs <code>firehose:CreateDeliveryStream</code> and <code>iam:PassRole</code> on that role.
      </p>
    </>
  );
}
