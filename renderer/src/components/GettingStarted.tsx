import { useEffect, type ReactNode } from 'react';
import { useDestinations, useModels, useSources, useSyncs } from '../api/queries';
import { ErrorBanner } from './ErrorBanner';
import { fmt } from '../../../shared/format/format';

type StepId = 'sources' | 'models' | 'destinations' | 'syncs';
const NOUN: Record<StepId, string> = { sources: 'source', models: 'model', destinations: 'destination', syncs: 'sync' };
type Counts = Record<StepId, number>;

const STEPS: { id: StepId; title: string; about: string; action: string }[] = [
  { id: 'sources', title: 'Add a source', about: 'A SQLite, CSV or NDJSON file, or a PostgreSQL database, where your rows come from.', action: 'Add a source' },
  { id: 'models', title: 'Add a model', about: 'A query or a file of the source, with the primary key that tells its rows apart.', action: 'Add a model' },
  {
    id: 'destinations',
    title: 'Add a destination',
    about: 'The Kinesis stream, Firehose delivery stream or Kafka cluster the rows go to.',
    action: 'Add a destination',
  },
  { id: 'syncs', title: 'Create a sync', about: 'Which rows of a model go to a destination, as what payload; then run it.', action: 'Create a sync' },
];

/** What the workspace holds of each step; refreshed whenever the catalog changes. */
export function useCatalogCounts(): { counts: Counts | null; error: unknown } {
  const lists = [useSources(), useModels(), useDestinations(), useSyncs()] as const;
  const [sources, models, destinations, syncs] = lists.map((q) => q.data?.length);
  const error = lists.find((q) => q.error)?.error ?? null;
  if (sources === undefined || models === undefined || destinations === undefined || syncs === undefined) return { counts: null, error };
  return { counts: { sources, models, destinations, syncs }, error };
}

/**
 * Where to begin in an empty workspace: add a source → a model → a destination → a sync. Done steps
 * are ticked; the next one is a single click (its section, or `onCreateSync` where the sync form is at hand).
 */
export function GettingStarted({ onCreateSync }: { onCreateSync?: () => void }) {
  const { counts, error } = useCatalogCounts();
  if (error) return <ErrorBanner error={error} />;
  if (!counts) return null;
  const next = STEPS.find((s) => counts[s.id] === 0)?.id;
  return (
    <section className="getting-started card" aria-label="Getting started">
      <h1>Get started</h1>
      <p className="muted">Four steps from your data to a stream. Each one takes a minute.</p>
      <ol className="start-steps">
        {STEPS.map((step, i) => {
          const done = counts[step.id] > 0;
          const isNext = step.id === next;
          return (
            <li
              key={step.id}
              className={`start-step ${done ? 'done' : ''} ${isNext ? 'next' : ''}`}
              aria-label={`${step.title}${done ? ': done' : isNext ? ': next' : ''}`}
            >
              <span className="start-mark" aria-hidden="true">
                {done ? '✓' : i + 1}
              </span>
              <div className="start-text">
                <strong>{step.title}</strong>
                <span className="muted">{done ? `${fmt.count(counts[step.id], NOUN[step.id])} in this workspace` : step.about}</span>
              </div>
              {isNext &&
                (step.id === 'syncs' && onCreateSync ? (
                  <button type="button" onClick={onCreateSync}>
                    {step.action}
                  </button>
                ) : (
                  <a className="button" href={`#/${step.id}`}>
                    {step.action}
                  </a>
                ))}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/**
 * The app's first screen (no section chosen yet): the guide while the workspace has no sync, else the
 * models, whose section it then becomes (so the navigation shows where you are).
 */
export function FirstScreen({ children }: { children: ReactNode }) {
  const { counts, error } = useCatalogCounts();
  const setUp = counts !== null && counts.syncs > 0;
  useEffect(() => {
    // Not over a section chosen meanwhile (a click while the counts were coming): the user stays where they went.
    if (setUp && noSectionChosen(window.location.hash)) window.location.replace('#/models');
  }, [setUp]);
  if (error) return <ErrorBanner error={error} />;
  if (!counts) return null;
  return counts.syncs > 0 ? <>{children}</> : <GettingStarted />;
}

/** The address names no section yet: empty, or the browser host's first URL with its access token (#token=…). */
export function noSectionChosen(hash: string): boolean {
  return /^#?\/?(token=.*)?$/.test(hash);
}
