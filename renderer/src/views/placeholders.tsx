import { EmptyState } from '../components/EmptyState';

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
