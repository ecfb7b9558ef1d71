import { useState } from 'react';
import type { WizardForm } from '../../wizard-state';
import { AwsCredentialFields } from '../aws/AwsCredentialFields';
import type { WizardFieldsProps } from '../types';
import { kafkaBrokerIssues } from './kafka-wizard';

/** A PEM certificate: pasted, or read from a file. */
function PemField({ label, value, onChange }: { label: string; value: string; onChange(value: string): void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <textarea aria-label={label} rows={4} value={value} onChange={(e) => onChange(e.target.value)} placeholder="-----BEGIN CERTIFICATE-----" />
      <input
        type="file"
        aria-label={`${label}: file`}
        accept=".pem,.crt,.cer"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void file.text().then(onChange);
        }}
      />
    </label>
  );
}

function AuthFields(props: WizardFieldsProps) {
  const { form, set, secretInput } = props;
  return (
    <>
      <label className="field">
        <span>Authentication</span>
        <select aria-label="Authentication" value={form.mechanism} onChange={(e) => set('mechanism', e.target.value as WizardForm['mechanism'])}>
          <option value="none">None</option>
          <option value="plain">SASL PLAIN</option>
          <option value="scram-sha-256">SASL SCRAM-SHA-256</option>
          <option value="scram-sha-512">SASL SCRAM-SHA-512</option>
          <option value="aws">AWS IAM (Amazon MSK, SASL/OAUTHBEARER)</option>
        </select>
      </label>
      {(form.mechanism === 'plain' || form.mechanism.startsWith('scram')) && (
        <>
          <label className="field">
            <span>Username</span>
            <input aria-label="Username" value={form.username} onChange={(e) => set('username', e.target.value)} />
          </label>
          {secretInput('password', 'Password')}
        </>
      )}
      {form.mechanism === 'aws' && (
        <>
          <label className="field">
            <span>Region of the MSK cluster (empty: from the brokers&apos; host names)</span>
            <input aria-label="Region" value={form.region} onChange={(e) => set('region', e.target.value)} placeholder="us-east-1" />
          </label>
          <AwsCredentialFields {...props} />
        </>
      )}
    </>
  );
}

function TlsFields({ form, set, secretInput }: WizardFieldsProps) {
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={form.tls} onChange={(e) => set('tls', e.target.checked)} /> TLS
      </label>
      {form.tls && (
        <>
          <PemField label="CA certificate (PEM, if a public CA did not sign the brokers)" value={form.caPem} onChange={(v) => set('caPem', v)} />
          <PemField label="Client certificate (PEM, for mutual TLS)" value={form.clientCertPem} onChange={(v) => set('clientCertPem', v)} />
          {form.clientCertPem.trim() && secretInput('clientKey', 'Client key')}
        </>
      )}
    </>
  );
}

/** The brokers, each one the client could not connect to said under the field once the user stops typing there (leaves it). */
function BrokersField({ value, onChange }: { value: string; onChange(value: string): void }) {
  const [typing, setTyping] = useState(false);
  const issues = typing ? [] : kafkaBrokerIssues({ brokers: value });
  return (
    <label className="field grow">
      <span>Brokers (host:port, comma-separated)</span>
      <input
        aria-label="Brokers"
        aria-invalid={issues.length > 0 ? true : undefined}
        value={value}
        onChange={(e) => {
          setTyping(true);
          onChange(e.target.value);
        }}
        onBlur={() => setTyping(false)}
        placeholder="b-1.example:9096,b-2.example:9096"
      />
      {issues.map((issue) => (
        <small key={issue.path} className="field-error">
          {issue.message}
        </small>
      ))}
    </label>
  );
}

/** A Kafka destination's connection: brokers, client ID, authentication, TLS and compression. */
export function KafkaConnectionFields(props: WizardFieldsProps) {
  const { form, set } = props;
  return (
    <>
      <div className="row">
        <BrokersField value={form.brokers} onChange={(v) => set('brokers', v)} />
        <label className="field">
          <span>Client ID</span>
          <input aria-label="Client ID" value={form.clientId} onChange={(e) => set('clientId', e.target.value)} />
        </label>
      </div>
      <AuthFields {...props} />
      <TlsFields {...props} />
      <label className="field">
        <span>Compression</span>
        <select aria-label="Compression" value={form.compression} onChange={(e) => set('compression', e.target.value as WizardForm['compression'])}>
          <option value="none">None</option>
          <option value="gzip">gzip</option>
        </select>
      </label>
    </>
  );
}
