/**
 * The words of a destination edit that points it elsewhere (another stream, delivery stream, region,
 * default topic or kind): which of its syncs start over, asked before saving and told once saved.
 */

/** ["a"] → “a”; ["a", "b"] → “a” and “b”; ["a", "b", "c"] → “a”, “b” and “c”. */
export function quotedList(names: readonly string[]): string {
  const quoted = names.map((n) => `“${n}”`);
  return quoted.length < 2 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** Its syncs “a” and “b” will start over: their next runs send every row. (`done`: they start over.) */
export function startOverWords(syncs: readonly string[], when: 'will' | 'done'): string {
  const one = syncs.length === 1;
  const start = when === 'will' ? 'will start over' : one ? 'starts over' : 'start over';
  return `Its ${one ? 'sync' : 'syncs'} ${quotedList(syncs)} ${start}: ${one ? 'its next run sends' : 'their next runs send'} every row`;
}

/** The prompt's first sentence: Saving points “events” at the stream “second” (us-east-1). */
export function retargetWords(name: string, noun: string, target: string, where: string): string {
  const at = target ? `the ${noun} “${target}”` : `the ${noun} each row names`;
  return `Saving points “${name}” at ${at}${where ? ` (${where})` : ''}.`;
}

/** The syncs of a prompt that run now, in words; '' when none runs. */
export function runningWords(running: readonly string[]): string {
  if (running.length === 0) return '';
  const one = running.length === 1;
  return `${quotedList(running)} ${one ? 'is' : 'are'} running now: saving is refused until ${one ? 'its run ends' : 'their runs end'} (wait for ${one ? 'it' : 'them'} or cancel ${one ? 'it' : 'them'}).`;
}

/** The notice once saved: Saved "events". Its syncs “a” and “b” start over: their next runs send every row to its new stream. */
export function savedNotice(name: string, startedOver: readonly string[], noun: string): string {
  const saved = `Saved "${name}".`;
  return startedOver.length === 0 ? saved : `${saved} ${startOverWords(startedOver, 'done')} to its new ${noun}.`;
}
