/**
 * The one draft that may not be left without asking (the model editor with changes). In-app moves change
 * the address: the sections down the side and the palette's jumps go through `goTo`, which hands the move
 * to the draft (it asks; nothing is pushed to the history unless the user agrees). Any other change of the
 * address (Back, Forward, a link) is caught by the check every `hashchange` listener makes first,
 * `leavingHeld`: the first listener to see it puts the address back and hands the move to the draft, and
 * every listener ignores it.
 *
 * (A capturing listener on window cannot go first instead: Chromium calls window's listeners in the order
 * they were added, capturing or not, and the app's own listener is added long before any editor's.)
 */

/** Given the move held back (`go` makes it), to ask the user first. */
type Hold = (go: () => void) => void;

let hold: Hold | null = null;
const seen = new WeakSet<Event>();

/** The browser host's URL with a fresh access token (a new launch's URL pasted in): never held back. */
const carriesToken = (url: string) => /[#&]token=/.test(new URL(url).hash);

/** While a draft may not be left: moves go to `onHold` instead. Returns the release. */
export function holdLeaving(onHold: Hold): () => void {
  hold = onHold;
  return () => {
    if (hold === onHold) hold = null;
  };
}

/** First thing in every `hashchange` listener: true when the move is held back, and the listener does nothing. */
export function leavingHeld(event: HashChangeEvent): boolean {
  if (!hold || carriesToken(event.newURL)) return false;
  if (!seen.has(event)) {
    seen.add(event);
    window.history.replaceState(window.history.state, '', event.oldURL);
    hold(() => window.location.replace(event.newURL));
  }
  return true;
}

/** An in-app move to `hash` (as `location.hash` takes it: "/syncs"): asked first while a draft holds. */
export function goTo(hash: string): void {
  // Where the user already is: no move (so nothing to ask).
  if (`#${hash.replace(/^#/, '')}` === window.location.hash) return;
  const go = () => {
    window.location.hash = hash;
  };
  if (hold) hold(go);
  else go();
}
