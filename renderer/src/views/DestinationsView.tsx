import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { ConnectionTest } from '../../../shared/config/connection-test';
import type { Destination } from '../../../shared/config/destination';
import { useSession } from '../api/context';
import { queryKeys, useDestinations, useDismissable } from '../api/queries';
import { useDestinationDelete } from './destinations/use-destination-delete';
import { useDestinationRename } from './destinations/use-destination-rename';
import { RenameForm } from '../components/RenameForm';
import { askFirst } from '../components/leave-guard';
import { ConfirmDelete } from '../components/ConfirmDelete';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { useJumpedRow } from '../components/select-from-hash';
import { describeDestination, isEditable, uiKind, type EditableDestination } from '../destinations/kinds/registry';
import { DestinationWizard } from './destinations/DestinationWizard';
import { TestResult } from './destinations/TestResult';
import { savedNotice } from './destinations/wizard/retarget-words';
import { TableScroll } from '../components/TableScroll';
import { Notice } from '../components/Notice';

/** A destination in the list: its kind, stream, where it is, and Test, Edit (not the sandbox), Rename, Delete. */
function DestinationRow({
  d,
  jumped,
  testing,
  onTest,
  onEdit,
  onRename,
  onDelete,
}: {
  d: Destination;
  jumped: boolean;
  testing: string | null;
  onTest(): void;
  onEdit(d: EditableDestination): void;
  onRename(): void;
  onDelete(): void;
}) {
  const { target, where } = describeDestination(d);
  return (
    <tr data-row-name={d.name} className={jumped ? 'selected' : undefined} aria-current={jumped ? 'true' : undefined}>
      <td className="wrap-anywhere">{d.name}</td>
      <td>{uiKind(d.kind).label}</td>
      <td className="wrap-anywhere">
        <code>{target}</code>
      </td>
      <td className="muted wrap-anywhere">{where}</td>
      <td className="actions">
        <div className="row nowrap">
          <button type="button" className="ghost" disabled={testing !== null} onClick={onTest}>
            {testing === d.name ? 'Testing…' : 'Test connection'}
          </button>
          {isEditable(d) && (
            <button type="button" className="ghost" aria-label={`Edit ${d.name}`} onClick={() => onEdit(d)}>
              Edit
            </button>
          )}
          <button type="button" className="ghost" aria-label={`Rename ${d.name}`} onClick={onRename}>
            Rename
          </button>
          <button type="button" className="ghost" aria-label={`Delete ${d.name}`} onClick={onDelete}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}

function DestinationsTable({
  destinations,
  jumped,
  testing,
  onTest,
  onEdit,
  onRename,
  onDelete,
}: {
  destinations: Destination[];
  jumped: string | null;
  testing: string | null;
  onTest(name: string): void;
  onEdit(d: EditableDestination): void;
  onRename(name: string): void;
  onDelete(name: string): void;
}) {
  return (
    <TableScroll label="Destinations">
      <table className="table" aria-label="Destinations">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Stream</th>
            <th>Where</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {destinations.map((d) => (
            <DestinationRow
              key={d.name}
              d={d}
              jumped={jumped === d.name}
              testing={testing}
              onTest={() => onTest(d.name)}
              onEdit={onEdit}
              onRename={() => onRename(d.name)}
              onDelete={() => onDelete(d.name)}
            />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function NoDestinations({ children }: { children: ReactNode }) {
  return (
    <EmptyState title="No destinations yet">
      <p>Destinations are Amazon Kinesis data streams, Kinesis Data Firehose delivery streams and Apache Kafka topics.</p>
      <p>Each one gets a connection test that tells you exactly what is wrong when it fails.</p>
      {children}
    </EmptyState>
  );
}

/** Delete's question, while one is asked: what stays (the stream and its records; the secrets in the keychain). */
function DeleteAsked({ deletion }: { deletion: ReturnType<typeof useDestinationDelete> }) {
  const { asking } = deletion;
  if (!asking) return null;
  return (
    <ConfirmDelete what="destination" name={asking.name} busy={deletion.busy} onCancel={deletion.cancel} onConfirm={deletion.confirm}>
      The {asking.noun} itself and the records in it are not touched.{asking.secretsStay && ' Its secrets stay in the keychain.'}
    </ConfirmDelete>
  );
}

type Panel = { mode: 'list' } | { mode: 'new' } | { mode: 'edit'; destination: EditableDestination } | { mode: 'rename'; name: string };

/** Test connection: the destination being tested, and the last answer. */
function useConnectionTest(onError: (err: unknown) => void) {
  const { api } = useSession();
  const [testing, setTesting] = useState<string | null>(null);
  const [result, setResult] = useState<ConnectionTest | null>(null);
  const test = async (name: string) => {
    setTesting(name);
    setResult(null);
    try {
      setResult(await api.testDestination({ destination: name }));
    } catch (err) {
      onError(err);
    } finally {
      setTesting(null);
    }
  };
  return { testing, result, test };
}

export function DestinationsView() {
  const client = useQueryClient();
  const destinationsQuery = useDestinations();
  const destinations = destinationsQuery.data ?? null;
  const [actionError, setError] = useState<unknown>(null);
  const [error, dismissError] = useDismissable(actionError ?? destinationsQuery.error);
  const { testing, result, test } = useConnectionTest(setError);
  const [panel, setPanel] = useState<Panel>({ mode: 'list' });
  const [notice, setNotice] = useState<string | null>(null);
  const jumped = useJumpedRow('destinations', destinations !== null && (panel.mode === 'list' || panel.mode === 'rename'), () => setPanel({ mode: 'list' }));
  const reload = () => client.invalidateQueries({ queryKey: queryKeys.destinations });
  const deletion = useDestinationDelete(destinations, setError, setNotice, reload);
  const renaming = useDestinationRename(setError, setNotice, () => (setPanel({ mode: 'list' }), void reload()));
  const done = (saved: Destination, startedOver: string[]) => {
    setPanel({ mode: 'list' });
    setNotice(savedNotice(saved.name, startedOver, uiKind(saved.kind).noun));
    void reload();
  };
  if (!destinations) return error ? <ErrorBanner error={error} /> : null;
  if (panel.mode === 'new' || panel.mode === 'edit') {
    return (
      <div className="page">
        <h1>Destinations</h1>
        <DestinationWizard editing={panel.mode === 'edit' ? panel.destination : undefined} onDone={done} onCancel={() => setPanel({ mode: 'list' })} />
      </div>
    );
  }
  const newButton = (
    <button type="button" onClick={() => askFirst(() => setPanel({ mode: 'new' }))}>
      New destination
    </button>
  );
  if (destinations.length === 0) {
    return <NoDestinations>{newButton}</NoDestinations>;
  }
  return (
    <div className="page">
      <div className="row spread">
        <h1>Destinations</h1>
        {newButton}
      </div>
      {error !== null && <ErrorBanner error={error} onDismiss={() => (setError(null), dismissError())} />}
      {notice && <Notice text={notice} onDismiss={() => setNotice(null)} />}
      {panel.mode === 'rename' && (
        <RenameForm
          key={panel.name}
          what="destination"
          name={panel.name}
          busy={renaming.busy}
          onRename={(to) => void renaming.rename(panel.name, to)}
          onCancel={() => setPanel({ mode: 'list' })}
          onTyping={() => (setError(null), dismissError())}
        />
      )}
      <DestinationsTable
        destinations={destinations}
        jumped={jumped}
        testing={testing}
        onTest={(name) => void test(name)}
        onEdit={(destination) => askFirst(() => setPanel({ mode: 'edit', destination }))}
        onRename={(name) => (panel.mode !== 'rename' || panel.name !== name) && askFirst(() => setPanel({ mode: 'rename', name }))}
        onDelete={deletion.ask}
      />
      {result && <TestResult result={result} />}
      <DeleteAsked deletion={deletion} />
    </div>
  );
}
