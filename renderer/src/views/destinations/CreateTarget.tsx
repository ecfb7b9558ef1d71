import { useEffect, useRef, useState } from 'react';
import type { DestinationDraft } from '../../../../shared/config/destination';
import type { CreatedStream } from '../../../../shared/ipc/channels/streams';
import { SluiceError } from '../../../../shared/ipc/errors';
import { useSession } from '../../api/context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { uiKind } from '../../destinations/kinds/registry';
import { EMPTY_CREATE_TARGET, existingTarget, type CreateTargetForm } from '../../destinations/kinds/shared/create-target-form';
import type { CreateTargetFieldsProps, WizardKind } from '../../destinations/kinds/types';
import './create-target.css';
import { fmt } from '../../../../shared/format/format';

/**
 * The wizard's "Create …" on the stream/topic step: a Kafka topic, a Kinesis data stream or a Firehose
 * delivery stream (each kind's fields and spec in its folder under destinations/kinds), made with the
 * draft's credentials. Kinesis and Firehose start CREATING: the status is polled until ACTIVE. The new
 * name is then chosen in the picker (`onCreated`).
 */

type Form = CreateTargetForm;
const EMPTY = EMPTY_CREATE_TARGET;

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

/** The create form's state, and `create`: the stream is made, then its status asked every second until ACTIVE. */
function useCreateTarget(kind: WizardKind, draft: DestinationDraft, onCreated: (name: string) => void) {
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
  const { spec: specOf } = uiKind(kind).createTarget;
  const { noun } = uiKind(kind);
  // An edit answers the last error: it is cleared rather than left pointing at a field already changed.
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setError(null);
  };
  const create = async () => {
    setBusy(true);
    setError(null);
    setStatus(null);
    const started = Date.now();
    const spec = specOf(form);
    try {
      let s = await api.createStream({ draft, create: spec });
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
      if (!alive.current) return;
      // The name is taken: that one is chosen (and said so) rather than none.
      const existing = existingTarget(err, spec, form.name.trim(), noun);
      if (!existing) return setError(err);
      setStatus(existing);
      onCreated(existing.name);
      setOpen(false);
      setForm(EMPTY);
    } finally {
      if (alive.current) setBusy(false);
    }
  };
  return { open, setOpen, form, set, error, setError, busy, status, elapsed, create };
}

export function CreateTarget({ kind, draft, onCreated }: { kind: WizardKind; draft: DestinationDraft; onCreated(name: string): void }) {
  const { open, setOpen, form, set, error, setError, busy, status, elapsed, create } = useCreateTarget(kind, draft, onCreated);
  const { noun: word } = uiKind(kind);
  const { fields, Fields } = uiKind(kind).createTarget;
  const issues = error instanceof SluiceError ? error.issues : [];
  const issueOf = (field: string) => issues.find((i) => i.path === `create.${field}`)?.message;

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

  const field: CreateTargetFieldsProps['field'] = (label, key, name, props = {}) => (
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
        <Fields form={form} set={set} field={field} />
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
        {error !== null && <ErrorBanner error={bannerError(error, fields)} onDismiss={() => setError(null)} />}
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
