import { useEffect, useState } from 'react';
import type { ApiCallDetail } from '../../../shared/debugger/api-call';
import { asAwsCli, asKcat, type CopyCommand } from '../../../shared/debugger/copy-command';

/** How long “Copied” stays after a copy. */
const COPIED_MS = 4000;

type Outcome = { kind: 'copied'; label: string; notes: string[] } | { kind: 'failed'; message: string };

/**
 * “Copy as AWS CLI command” (AWS calls) or “Copy as kcat command” (Kafka calls): the command that makes
 * the call again, to the clipboard, with what it cannot reproduce exactly. Never a secret: the commands
 * use environment variables for them.
 */
export function CopyCommands({ call }: { call: ApiCallDetail }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => {
    if (outcome?.kind !== 'copied') return;
    const t = setTimeout(() => setOutcome((o) => (o === outcome ? { ...outcome, label: '' } : o)), COPIED_MS);
    return () => clearTimeout(t);
  }, [outcome]);

  const offers: { label: string; build(): CopyCommand | null }[] = [
    { label: 'Copy as AWS CLI command', build: () => asAwsCli(call) },
    { label: 'Copy as kcat command', build: () => asKcat(call) },
  ];
  const available = offers.map((o) => ({ ...o, command: o.build() })).filter((o): o is typeof o & { command: CopyCommand } => o.command !== null);
  if (available.length === 0) return null;

  const copy = async (label: string, command: CopyCommand) => {
    try {
      if (!navigator.clipboard) throw new Error('this window has no clipboard access');
      await navigator.clipboard.writeText(command.command);
      setOutcome({ kind: 'copied', label, notes: command.notes });
    } catch (err) {
      setOutcome({ kind: 'failed', message: `Could not copy: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  return (
    <div className="call-copy" data-testid="api-call-copy">
      <div className="row">
        {available.map((o) => (
          <button key={o.label} type="button" className="ghost small" onClick={() => void copy(o.label, o.command)} title={o.command.command}>
            {o.label}
          </button>
        ))}
        <span role="status" className="small call-copy-status">
          {outcome?.kind === 'copied' && outcome.label ? <span className="ok">Copied</span> : null}
          {outcome?.kind === 'failed' ? <span className="danger">{outcome.message}</span> : null}
        </span>
      </div>
      {outcome?.kind === 'copied' && outcome.notes.length > 0 && (
        <ul className="small muted call-copy-notes" data-testid="api-call-copy-notes">
          {outcome.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
