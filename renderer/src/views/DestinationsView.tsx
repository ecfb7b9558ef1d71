import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConnectionTest } from '../../../shared/config/connection-test';
import type { Destination } from '../../../shared/config/destination';
import { useSession } from '../api/context';
import { queryKeys, useDestinations, useDismissable } from '../api/queries';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { useJumpedRow } from '../components/select-from-hash';
import { DestinationWizard } from './destinations/DestinationWizard';
import { TestResult } from './destinations/TestResult';
import { TableScroll } from '../components/TableScroll';

const KIND_LABEL: Record<Destination['kind'], string> = {
  kinesis: 'Amazon Kinesis Data Streams',
  firehose: 'Amazon Data Firehose',
  'sandbox-kinesis': 'Sandbox Kinesis stream',
  kafka: 'Apache Kafka',
};

function target(d: Destination): string {
  switch (d.kind) {
    case 'firehose':
      return d.deliveryStream;
    case 'kafka':
      return d.topic ?? '(topic per row)';
    default:
      return d.stream;
  }
}

function where(d: Destination): string {
  switch (d.kind) {
    case 'sandbox-kinesis':
      return 'local, started by Sluice on 127.0.0.1; its records kept in the workspace';
    case 'kafka':
      return `${d.brokers.join(', ')} · ${d.auth.mechanism === 'none' ? 'no auth' : d.auth.mechanism === 'aws' ? 'AWS IAM (MSK)' : d.auth.mechanism.toUpperCase()}${d.tls.enabled ? ' · TLS' : ''}`;
    default:
      return `${d.region}${d.endpoint ? ` · ${d.endpoint}` : ''}`;
  }
}

type Panel = { mode: 'list' } | { mode: 'new' } | { mode: 'edit'; destination: Exclude<Destination, { kind: 'sandbox-kinesis' }> };

export function DestinationsView() {
  const { api } = useSession();
  const client = useQueryClient();
  const destinationsQuery = useDestinations();
  const destinations = destinationsQuery.data ?? null;
  const [actionError, setError] = useState<unknown>(null);
  const [error, dismissError] = useDismissable(actionError ?? destinationsQuery.error);
  const [testing, setTesting] = useState<string | null>(null);
  const [result, setResult] = useState<ConnectionTest | null>(null);
  const [panel, setPanel] = useState<Panel>({ mode: 'list' });
  const [notice, setNotice] = useState<string | null>(null);
  const jumped = useJumpedRow('destinations', destinations !== null && panel.mode === 'list', () => setPanel({ mode: 'list' }));
  const reload = () => client.invalidateQueries({ queryKey: queryKeys.destinations });
  const test = async (name: string) => {
    setTesting(name);
    setResult(null);
    try {
      setResult(await api.testDestination({ destination: name }));
    } catch (err) {
      setError(err);
    } finally {
      setTesting(null);
    }
  };
  const remove = async (name: string) => {
    if (!window.confirm(`Delete the destination "${name}"? Its secrets stay in the keychain.`)) return;
    try {
      await api.deleteDestination({ name });
      setNotice(`Deleted "${name}".`);
      await reload();
    } catch (err) {
      setError(err);
    }
  };
  const done = (name: string) => {
    setPanel({ mode: 'list' });
    setNotice(`Saved "${name}".`);
    void reload();
  };
  if (!destinations) return error ? <ErrorBanner error={error} /> : null;
  if (panel.mode !== 'list') {
    return (
      <div className="page">
        <h1>Destinations</h1>
        <DestinationWizard editing={panel.mode === 'edit' ? panel.destination : undefined} onDone={done} onCancel={() => setPanel({ mode: 'list' })} />
      </div>
    );
  }
  const newButton = (
    <button type="button" onClick={() => setPanel({ mode: 'new' })}>
      New destination
    </button>
  );
  if (destinations.length === 0) {
    return (
      <EmptyState title="No destinations yet">
        <p>Destinations are Amazon Kinesis data streams, Kinesis Data Firehose delivery streams and Apache Kafka topics.</p>
        <p>Each one gets a connection test that tells you exactly what is wrong when it fails.</p>
        {newButton}
      </EmptyState>
    );
  }
  return (
    <div className="page">
      <div className="row spread">
        <h1>Destinations</h1>
        {newButton}
      </div>
      {error !== null && <ErrorBanner error={error} onDismiss={() => (setError(null), dismissError())} />}
      {notice && (
        <div className="banner" role="status">
          {notice}
        </div>
      )}
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
              <tr
                key={d.name}
                data-row-name={d.name}
                className={jumped === d.name ? 'selected' : undefined}
                aria-current={jumped === d.name ? 'true' : undefined}
              >
                <td>{d.name}</td>
                <td>{KIND_LABEL[d.kind]}</td>
                <td>
                  <code>{target(d)}</code>
                </td>
                <td className="muted">{where(d)}</td>
                <td className="row">
                  <button type="button" className="ghost" disabled={testing !== null} onClick={() => void test(d.name)}>
                    {testing === d.name ? 'Testing…' : 'Test connection'}
                  </button>
                  {d.kind !== 'sandbox-kinesis' && (
                    <button type="button" className="ghost" aria-label={`Edit ${d.name}`} onClick={() => setPanel({ mode: 'edit', destination: d })}>
                      Edit
                    </button>
                  )}
                  <button type="button" className="ghost" aria-label={`Delete ${d.name}`} onClick={() => void remove(d.name)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {result && <TestResult result={result} />}
    </div>
  );
}
