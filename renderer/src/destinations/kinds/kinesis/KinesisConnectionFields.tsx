import { AwsConnectionFields } from '../aws/AwsConnectionFields';
import type { WizardFieldsProps } from '../types';

/** A Kinesis destination's connection: region, endpoint, credentials. */
export function KinesisConnectionFields(props: WizardFieldsProps) {
  return <AwsConnectionFields service="kinesis" {...props} />;
}
