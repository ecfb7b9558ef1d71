import type { ReactNode } from 'react';
import type { WizardFieldsProps } from '../types';
import { AwsCredentialFields } from './AwsCredentialFields';

/** A Kinesis or Firehose destination's connection: region, endpoint and credentials (and the kind's own options). */
export function AwsConnectionFields({ service, children, ...props }: WizardFieldsProps & { service: string; children?: ReactNode }) {
  const { form, set } = props;
  return (
    <>
      <div className="row">
        <label className="field">
          <span>Region</span>
          <input aria-label="Region" value={form.region} onChange={(e) => set('region', e.target.value)} />
        </label>
        <label className="field grow">
          <span>Custom endpoint (a local emulator or VPC endpoint; optional)</span>
          <input
            aria-label="Endpoint"
            value={form.endpoint}
            onChange={(e) => set('endpoint', e.target.value)}
            placeholder={`https://${service}.${form.region || 'us-east-1'}.amazonaws.com`}
          />
        </label>
      </div>
      <AwsCredentialFields {...props} />
      {children}
    </>
  );
}
