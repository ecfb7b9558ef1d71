import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Destination } from '../../../shared/config/destination';
import type { InspectRead, InspectReadRequest } from '../../../shared/config/inspector';
import { useSession } from '../api/context';
import { queryKeys, useDestinations, useLastAnswer } from '../api/queries';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { ReadBackPanel } from '../inspector/ReadBackPanel';
import { ReadForm } from '../inspector/ReadForm';
import { readErrorFor } from '../inspector/read-limits';
import { uiKind } from '../destinations/kinds/registry';
import { RecordsTable } from '../inspector/RecordsTable';
import { fmt } from '../../../shared/format/format';
import { TableScroll } from '../components/TableScroll';
import { onHashChange } from '../components/leave-guard';

/** The `ledger` parameter of `#/inspector?ledger=ID`. */
function ledgerFromHash(): number | null {
  const query = window.location.hash.split('?')[1] ?? '';
  const id = Number(new URLSearchParams(query).get('ledger'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

function useLedgerParam(): [number | null, () => void] {
  const [ledger, setLedger] = useState<number | null>(ledgerFromHash);
  useEffect(() => onHashChange(() => setLedger(ledgerFromHash())), []);
  return [ledger, () => (window.location.hash = '/inspector')];
}

function RecordsRead({ read }: { read: InspectRead }) {
  return (
    <section className="card" aria-label="Records read">
      {read.note && <p className="banner banner-warn">{read.note}</p>}
      <p className="muted" data-testid="inspector-summary">
        {fmt.count(read.records.length, 'record')} from <span className="mono">{read.target}</span>
        {read.readers.length > 0 && ` — ${read.readers.map((r) => `${r.part}: ${fmt.number(r.read)} (${r.stopped})`).join(', ')}`}
      </p>
      <TableScroll label="Records read">
        <RecordsTable records={read.records} />
      </TableScroll>
    </section>
  );
}

/** What the form says while the destination's topics or streams are listed ("Listing topics…"), else null. */
function listingStatus(fetching: boolean, kind: Destination['kind'] | undefined): string | null {
  return fetching && kind ? `Listing ${uiKind(kind).noun}s…` : null;
}

export function InspectorView() {
  const { api } = useSession();
  const [ledger, closeLedger] = useLedgerParam();
  const destinationsQuery = useDestinations();
  const destinations = destinationsQuery.data ?? null;
  const [destination, setDestination] = useState('');
  // The first destination until one is chosen (once: a list that changes later does not move the choice).
  const first = destinations?.[0]?.name;
  if (destination === '' && first) setDestination(first);
  const targetsQuery = useQuery({
    queryKey: queryKeys.inspectTargets(destination),
    queryFn: () => api.inspectTargets({ destination }),
    enabled: destination !== '',
  });
  // Only the latest read is shown: a new read, or another destination, leaves an earlier answer unseen.
  const reader = useMutation({ mutationFn: (request: InspectReadRequest) => api.inspectRead(request) });
  // The last read stays on screen while the next one runs (a wait included), and under its error.
  const read = useLastAnswer(reader.data, destination) ?? null;
  // A read's refusal names what the destination's kind reads (its topic, stream or delivery stream).
  const kind = destinations?.find((d) => d.name === destination)?.kind;
  const readError = reader.error && kind ? readErrorFor(reader.error, uiKind(kind).noun) : reader.error;
  const error = readError ?? targetsQuery.error ?? destinationsQuery.error;

  // A record opened from a run takes the form to its destination (it stayed on the first one).
  const chooseDestination = (name: string) => {
    if (name === destination) return;
    reader.reset();
    setDestination(name);
  };

  if (destinations && destinations.length === 0 && ledger === null) {
    return (
      <EmptyState title="Nothing to inspect yet">
        <p>Add a destination, then read records back from its Kinesis stream or Kafka topic and compare what was sent with what arrived.</p>
      </EmptyState>
    );
  }

  return (
    <div className="page" data-testid="inspector">
      <h1>Inspector</h1>
      {ledger !== null && <ReadBackPanel key={ledger} ledgerId={ledger} onClose={closeLedger} onOpened={chooseDestination} />}
      <ReadForm
        destinations={destinations}
        destination={destination}
        onDestination={chooseDestination}
        targets={targetsQuery.data ?? null}
        listing={listingStatus(targetsQuery.isFetching, kind)}
        reading={reader.isPending}
        onRead={(request) => reader.mutate({ destination, ...request })}
      />
      {error !== null && <ErrorBanner error={error} />}
      {read && <RecordsRead read={read} />}
    </div>
  );
}
