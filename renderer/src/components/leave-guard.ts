/**
 * The one draft that may not be left without asking (an editor with changes). In-app moves change the
 * address: the sections down the side and the palette's jumps go through `goTo`, which hands the move to
 * the draft (it asks; nothing is pushed to the history unless the user agrees). Any other change of the
 * address (Back, Forward, a link) reaches the app only through `onHashChange`: while a draft holds, the
 * address is put back and the move handed to the draft, and no listener sees it.
 *
 * (One window listener calls every listener, so a new one cannot see a held move: a capturing listener on
 * window could not go first instead, as Chromium calls window's listeners in the order they were added.)
 */

/** Given the move held back (`go` makes it), to ask the user first. */
type Hold = (go: () => void) => void;
type Listener = (event: HashChangeEvent) => void;

let hold: Hold | null = null;
const listeners = new Set<Listener>();

/** The browser host's URL with a fresh access token (a new launch's URL pasted in): never held back. */
const carriesToken = (url: string) => /[#&]token=/.test(new URL(url).hash);

/** While a draft may not be left: moves go to `onHold` instead. Returns the release. */
export function holdLeaving(onHold: Hold): () => void {
  hold = onHold;
  return () => {
    if (hold === onHold) hold = null;
  };
}

function onWindowHash(event: HashChangeEvent) {
  if (hold && !carriesToken(event.newURL)) {
    // The address put back; the move handed to the draft.
    window.history.replaceState(window.history.state, '', event.oldURL);
    const newURL = event.newURL;
    hold(() => window.location.replace(newURL));
    return;
  }
  for (const listener of [...listeners]) listener(event);
}

/**
 * Calls `listener` on every change of the address the app takes (none held back by a draft). Returns its
 * removal. Every `hashchange` listener of the app's views goes through here.
 */
export function onHashChange(listener: Listener): () => void {
  if (listeners.size === 0) window.addEventListener('hashchange', onWindowHash);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('hashchange', onWindowHash);
  };
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
