import type { Noun } from '../../shared/format/format';
import { fmt } from './cli-format';

/**
 * The line under a page of a listing: how many there are, and the command for the next page if there is
 * one. `what` agrees with the count ("1 record in the ledger", "8 records in the ledger").
 */
export function pageFooter(shown: number, total: number, what: Noun, next: number | null, nextCommand: string): string {
  const words = fmt.noun(total, what);
  if (next === null) return `${fmt.number(total)} ${words}${shown < total ? ` (${fmt.number(shown)} shown)` : ''}`;
  return `${fmt.number(shown)} of ${fmt.number(total)} ${words} shown. Next page: ${nextCommand} --after ${next}`;
}
