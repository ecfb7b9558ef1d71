import { fmt } from '../../../shared/format/format';

/** A time shown in the user's time zone, with the same instant in UTC on hover (and for machines, `dateTime`). */
export function Time({ iso, ms = false, clock = false, className }: { iso: string; ms?: boolean; clock?: boolean; className?: string }) {
  return (
    <time dateTime={iso} title={fmt.utcTime(iso)} className={className}>
      {clock ? fmt.clock(iso) : fmt.localTime(iso, { ms })}
    </time>
  );
}
