import { useEffect, useState } from 'react';
import type { ConnectionTest } from '../../../shared/config/connection-test';
import type { Destination } from '../../../shared/config/destination';
import { useSession } from '../api/context';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';

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
      return 'local, started by Sluice on 127.0.0.1; in memory while Sluice runs';
    case 'kafka':
      return `${d.brokers.join(', ')} · ${d.auth.mechanism === 'none' ? 'no auth' : d.auth.mechanism.toUpperCase()}${d.tls.enabled ? ' · TLS' : ''}`;
    default:
      return `${d.region}${d.endpoint ? ` · ${d.endpoint}` : ''}`;
  }
}

export function DestinationsView() {
  const { api } = useSession();
  const [destinations, setDestinations] = useState<Destination[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [result, setResult] = useState<ConnectionTest | null>(null);
  useEffect(() => {
    api.listDestinations({}).then(setDestinations, setError);
  }, [api]);
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
  if (error) return <ErrorBanner error={error} />;
  if (!destinations) return null;
  if (destinations.length === 0) {
    return (
      <EmptyState title="No destinations yet">
        <p>Destinations are Amazon Kinesis data streams, Kinesis Data Firehose delivery streams and Apache Kafka topics.</p>
        <p>Each one gets a connection test that tells you exactly what is wrong when it fails.</p>
      </EmptyState>
    );
  }
  return (
    <div className="page">
      <h1>Destinations</h1>
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
            <tr key={d.name}>
              <td>{d.name}</td>
              <td>{KIND_LABEL[d.kind]}</td>
              <td>
                <code>{target(d)}</code>
              </td>
              <td className="muted">{where(d)}</td>
              <td>
                <button type="button" className="ghost" disabled={testing !== null} onClick={() => void test(d.name)}>
                  {testing === d.name ? 'Testing…' : 'Test connection'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {result && <TestResult result={result} />}
    </div>
  );
}

const MARK = { ok: '✓', failed: '✗', skipped: '–' } as const;

function TestResult({ result }: { result: ConnectionTest }) {
  return (
    <section className="card" aria-label="Connection test">
      <h2>
        {result.destination}: {result.ok ? 'connection works' : 'connection failed'}
      </h2>
      <ol className="steps">
        {result.steps.map((s) => (
          <li key={s.step} className={`step step-${s.status}`}>
            <span className="mark" aria-hidden>
              {MARK[s.status]}
            </span>
            <div>
              <strong>{s.step}</strong> <span className="muted">{s.status === 'skipped' ? '' : `${s.ms} ms`}</span>
              <div>{s.detail}</div>
              {s.hint && <div className="hint">→ {s.hint}</div>}
              {s.status === 'failed' && s.raw && (
                <details>
                  <summary>Raw error</summary>
                  <code>{s.raw}</code>
                </details>
              )}
            </div>
          </li>
        ))}
      </ol>
      {result.listed.length > 0 && <p className="muted">Listed: {result.listed.join(', ')}</p>}
    </section>
  );
}
