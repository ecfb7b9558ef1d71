import { EmptyState } from '../components/EmptyState';

/** Sources: add, edit, test, rename and delete the files and databases rows come from (issue #14). */
export function SourcesView() {
  return (
    <EmptyState title="Sources">
      <p>Sources are listed here.</p>
    </EmptyState>
  );
}
