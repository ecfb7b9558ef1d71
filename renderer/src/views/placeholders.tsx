import { EmptyState } from '../components/EmptyState';

export function ModelsView() {
  return (
    <EmptyState title="No models yet">
      <p>A model is a SQL query, or a SQLite, CSV or NDJSON file, whose rows have a primary key.</p>
      <p>Models you add appear here with a preview of their first rows, column names and types.</p>
    </EmptyState>
  );
}

export function DestinationsView() {
  return (
    <EmptyState title="No destinations yet">
      <p>Destinations are Amazon Kinesis data streams, Kinesis Data Firehose delivery streams and Apache Kafka topics.</p>
      <p>Each one gets a connection test that tells you exactly what is wrong when it fails.</p>
    </EmptyState>
  );
}

export function SyncsView() {
  return (
    <EmptyState title="No syncs yet">
      <p>A sync sends a model&apos;s added, changed and removed rows to a destination, with the payload you design.</p>
      <p>Runs, their live progress and their history appear here.</p>
    </EmptyState>
  );
}

export function DebuggerView() {
  return (
    <EmptyState title="No API calls recorded yet">
      <p>Every call Sluice makes to a destination — connection tests, syncs, reads — is listed here with its request, response and timing.</p>
    </EmptyState>
  );
}

export function InspectorView() {
  return (
    <EmptyState title="Nothing to inspect yet">
      <p>Read records back from a Kinesis stream or Kafka topic, and compare what was sent with what arrived.</p>
    </EmptyState>
  );
}
