import { useEffect, useRef, useState } from 'react';
import type { DestinationDraft } from '../../../../shared/config/destination';
import type { CreatedStream, StreamSpec } from '../../../../shared/ipc/channels/streams';
import { SluiceError } from '../../../../shared/ipc/errors';
import { useSession } from '../../api/context';
import { ErrorBanner } from '../../components/ErrorBanner';
import type { WizardKind } from './wizard-form';
import './create-target.css';
import { fmt } from '../../../../shared/format/format';

/**
 * The wizard's "Create …" on the stream/topic step: a Kafka topic, a Kinesis data stream or a Firehose
 * delivery stream, made with the draft's credentials. Kinesis and Firehose start CREATING: the status
 * is polled until ACTIVE. The new name is then chosen in the picker (`onCreated`).
 */

const WORD: Record<WizardKind, string> = { kafka: 'topic', kinesis: 'stream', firehose: 'delivery stream' };

const RETENTION: { label: string; ms: number | undefined }[] = [
  { label: "The cluster's default", ms: undefined },
  { label: '1 hour', ms: 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '7 days', ms: 7 * 86_400_000 },
  { label: '30 days', ms: 30 * 86_400_000 },
  { label: 'For ever', ms: -1 },
];

interface Form {
  name: string;
  partitions: string;
  replicationFactor: string;
  retention: number;
  mode: 'on-demand' | 'provisioned';
  shardCount: string;
  bucket: string;
  prefix: string;
  roleArn: string;
}

const EMPTY: Form = {
  name: '',
  partitions: '3',
  replicationFactor: '1',
  retention: 0,
  mode: 'on-demand',
  shardCount: '1',
  bucket: '',
  prefix: '',
  roleArn: '',
};

/** A number field's text as the schema sees it: a number when it is one, else the text (refused with the field's own message). */
function num(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function specOf(kind: WizardKind, f: Form): StreamSpec {
  switch (kind) {
    case 'kafka': {
      const ms = RETENTION[f.retention]?.ms;
      return {
        kind,
        topic: f.name.trim(),
        partitions: num(f.partitions),
        replicationFactor: num(f.replicationFactor),
        ...(ms !== undefined ? { retentionMs: ms } : {}),
      };
    }
    case 'kinesis':
      return { kind, stream: f.name.trim(), mode: f.mode, ...(f.mode === 'provisioned' ? { shardCount: num(f.shardCount) } : {}) };
    case 'firehose':
      return {
        kind,
        deliveryStream: f.name.trim(),
        bucket: f.bucket.trim(),
        roleArn: f.roleArn.trim(),
        ...(f.prefix.trim() ? { prefix: f.prefix.trim() } : {}),
      };
  }
}

/** The form's fields per kind: their issues show under the field, not again in the banner. */
const FIELDS: Record<WizardKind, string[]> = {
  kafka: ['topic', 'partitions', 'replicationFactor'],
  kinesis: ['stream', 'shardCount'],
  firehose: ['deliveryStream', 'bucket', 'prefix', 'roleArn'],
};

function bannerError(error: unknown, fields: string[]): unknown {
  if (!(error instanceof SluiceError)) return error;
  const rest = error.issues.filter((i) => !fields.some((f) => i.path === `create.${f}`));
  if (rest.length === error.issues.length) return error;
  // Every issue is shown under its field: the banner points there instead of repeating them.
  const message =
    rest.length === 0 && error.code === 'invalid-input' && /input is not valid/.test(error.message)
      ? 'Some settings are not valid: see the fields marked in red'
      : error.message;
  return new SluiceError(error.code, message, rest);
}

export function CreateTarget({ kind, draft, onCreated }: { kind: WizardKind; draft: DestinationDraft; onCreated(name: string): void }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<CreatedStream | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  const word = WORD[kind];
  // An edit answers the last error: it is cleared rather than left pointing at a field already changed.
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setError(null);
  };
  const issues = error instanceof SluiceError ? error.issues : [];
  const issueOf = (field: string) => issues.find((i) => i.path === `create.${field}`)?.message;

  const create = async () => {
    setBusy(true);
    setError(null);
    setStatus(null);
    const started = Date.now();
    try {
      let s = await api.createStream({ draft, create: specOf(kind, form) });
      setStatus(s);
      // Kinesis and Firehose start CREATING: ask again every second until ACTIVE (or two minutes).
      while (!s.ready && alive.current && Date.now() - started < 120_000) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        setElapsed(Math.round((Date.now() - started) / 1000));
        s = await api.streamStatus({ draft, name: s.name });
        setStatus(s);
      }
      if (!alive.current) return;
      if (!s.ready)
        throw new SluiceError(
          'invalid-input',
          `"${s.name}" is still ${s.status} after two minutes: it may still become ACTIVE — test the connection again later to see it in the list`,
        );
      onCreated(s.name);
      setOpen(false);
      setForm(EMPTY);
    } catch (err) {
      if (alive.current) setError(err);
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  if (!open) {
    return (
      <div className="create-target">
        {status?.ready && (
          <p className="create-done" role="status">
            ✓ {status.detail}
          </p>
        )}
        <button type="button" className="ghost" onClick={() => setOpen(true)}>
          Create a new {word}…
        </button>
      </div>
    );
  }

  const field = (label: string, key: keyof Form, name: string, props: { placeholder?: string; type?: string; min?: number } = {}) => (
    <label className="field">
      <span>{label}</span>
      <input
        aria-label={label}
        aria-invalid={issueOf(name) ? true : undefined}
        value={String(form[key])}
        onChange={(e) => set(key, e.target.value as never)}
        {...props}
      />
      {issueOf(name) && <small className="field-error">{issueOf(name)}</small>}
    </label>
  );

  return (
    <section className="create-target card" aria-label={`Create a ${word}`}>
      <h2>Create a new {word}</h2>
      <form
        className="wizard-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        {kind === 'kafka' && (
          <>
            {field('Topic name', 'name', 'topic', { placeholder: 'orders.v1' })}
            <div className="row">
              {field('Partitions', 'partitions', 'partitions', { type: 'number', min: 1 })}
              {field('Replication factor', 'replicationFactor', 'replicationFactor', { type: 'number', min: 1 })}
              <label className="field">
                <span>Retention</span>
                <select aria-label="Retention" value={form.retention} onChange={(e) => set('retention', Number(e.target.value))}>
                  {RETENTION.map((r, i) => (
                    <option key={r.label} value={i}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <p className="muted small">
              A name of letters, digits, dots, underscores and hyphens. The replication factor cannot exceed the number of brokers. Needs the Create ACL on the
              cluster (or on the topic).
            </p>
          </>
        )}
        {kind === 'kinesis' && (
          <>
            {field('Stream name', 'name', 'stream', { placeholder: 'clickstream' })}
            <div className="row">
              <label className="field">
                <span>Capacity mode</span>
                <select aria-label="Capacity mode" value={form.mode} onChange={(e) => set('mode', e.target.value as Form['mode'])}>
                  <option value="on-demand">On-demand (scales by itself; billed per GB)</option>
                  <option value="provisioned">Provisioned (a fixed number of shards)</option>
                </select>
              </label>
              {form.mode === 'provisioned' && field('Shards', 'shardCount', 'shardCount', { type: 'number', min: 1 })}
            </div>
            <p className="muted small">
              A name of 1–128 letters, digits, underscores, dots and hyphens. Each shard takes 1 MB/s or 1,000 records/s. Needs kinesis:CreateStream and
              kinesis:DescribeStreamSummary.
            </p>
          </>
        )}
        {kind === 'firehose' && (
          <>
            {field('Delivery stream name', 'name', 'deliveryStream', { placeholder: 'events-to-s3' })}
            <div className="row">
              {field('S3 bucket', 'bucket', 'bucket', { placeholder: 'my-data-lake' })}
              {field('Prefix (optional)', 'prefix', 'prefix', { placeholder: 'events/' })}
            </div>
            {field('Role ARN for S3 delivery', 'roleArn', 'roleArn', { placeholder: 'arn:aws:iam::123456789012:role/firehose-to-s3' })}
            <p className="muted small explain">
              Firehose writes to the bucket as an IAM role of its own, not with your credentials. The role’s trust policy must let{' '}
              <code>firehose.amazonaws.com</code> assume it, and its policy must allow <code>s3:PutObject</code>, <code>s3:GetBucketLocation</code> and{' '}
              <code>s3:ListBucket</code> on the bucket. Creating the delivery stream needs <code>firehose:CreateDeliveryStream</code> and{' '}
              <code>iam:PassRole</code> on that role.
            </p>
          </>
        )}
        {busy && status && !status.ready && (
          <div role="status" aria-label="Creation progress" className="create-progress">
            <div className="progress">
              <div className="bar indeterminate" />
            </div>
            <span>
              {status.status}… {elapsed > 0 ? fmt.duration(elapsed * 1000) : ''} — {status.detail}
            </span>
          </div>
        )}
        {error !== null && <ErrorBanner error={bannerError(error, FIELDS[kind])} onDismiss={() => setError(null)} />}
        <div className="row">
          <button type="button" className="ghost" disabled={busy} onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button type="submit" disabled={busy || !form.name.trim()}>
            {busy ? (status ? 'Waiting until ACTIVE…' : 'Creating…') : `Create ${word}`}
          </button>
        </div>
      </form>
    </section>
  );
}
