/**
 * The drafts that may not be left without asking (an editor with changes, a name typed to rename). In-app
 * moves change the address: the sections down the side and the palette's jumps go through `goTo`, which
 * hands the move to the drafts (each asks in turn; nothing is pushed to the history unless the user agrees
 * to every one); a move the address does not show (another sync of the list, another of its tabs) goes
 * through `askFirst` alike. Any other change of the address (Back, Forward, a link) reaches the app only
 * through `onHashChange`: while a draft holds, the move is undone — the history goes back to the draft's
 * entry, so no entry is left doubled — and handed to the drafts, and no listener sees it.
 *
 * (One window listener calls every listener, so a new one cannot see a held move: a capturing listener on
 * window could not go first instead, as Chromium calls window's listeners in the order they were added.)
 */

/** Given the move held back (`go` makes it), to ask the user first. */
type Hold = (go: () => void) => void;
type Listener = (event: HashChangeEvent) => void;

/** A draft that may not be left: how it asks, and whether it holds now (its changes, as of this moment). */
interface Holder {
  ask: Hold;
  holds: () => boolean;
}

/** The drafts, in the order they began to hold (a page may show two: a sync's settings and its new name). */
const holders: Holder[] = [];
const listeners = new Set<Listener>();

/** The next draft to ask (the latest first), but those already asked. */
const nextHolding = (asked: ReadonlySet<Hold>) => [...holders].reverse().find((h) => !asked.has(h.ask) && h.holds());

/** Asks each draft that holds, one after the other (each Discard asks the next); `go` once none is left. */
function askEach(go: () => void, asked: Set<Hold>): void {
  const next = nextHolding(asked);
  if (!next) return go();
  asked.add(next.ask);
  next.ask(() => askEach(go, asked));
}

/** The history's position of each entry (the Navigation API; Chromium and Electron have it). */
interface NavigationPosition {
  currentEntry: { index: number } | null;
}
const position = (): number | null => (window as unknown as { navigation?: NavigationPosition }).navigation?.currentEntry?.index ?? null;
/** Where the app is in the history: the entry the draft was opened on, while it holds. */
let at: number | null = null;

/** The browser host's URL with a fresh access token (a new launch's URL pasted in): never held back. */
const carriesToken = (url: string) => /[#&]token=/.test(new URL(url).hash);

/**
 * While a draft may not be left: moves go to `onHold` instead, whenever `holds` says so at the moment of
 * the move (a change its render has not shown yet counts). Returns the release.
 */
export function holdLeaving(onHold: Hold, holds: () => boolean = () => true): () => void {
  const holder: Holder = { ask: onHold, holds };
  holders.push(holder);
  return () => {
    const i = holders.indexOf(holder);
    if (i >= 0) holders.splice(i, 1);
  };
}

/**
 * Holds the move `event` made: the history goes back the steps it went (Back, Forward, a link's new entry,
 * which stays ahead to go to); `go` goes them again. Without the history's positions (or for a move that
 * replaced the entry), the address is put back in place and `go` replaces it again.
 */
function holdMove(event: HashChangeEvent) {
  const onHold: Hold = (go) => askEach(go, new Set());
  const now = position();
  const steps = now !== null && at !== null ? now - at : 0;
  if (steps !== 0) {
    window.history.go(-steps);
    onHold(() => window.history.go(steps));
    return;
  }
  window.history.replaceState(window.history.state, '', event.oldURL);
  onHold(() => window.location.replace(event.newURL));
}

function onWindowHash(event: HashChangeEvent) {
  const now = position();
  // Back where the app is (a held move undone): nothing moved.
  const undone = now !== null && now === at && event.newURL === window.location.href;
  if (nextHolding(new Set()) && !undone && !carriesToken(event.newURL)) {
    holdMove(event);
    return;
  }
  at = now;
  for (const listener of [...listeners]) listener(event);
}

/**
 * Calls `listener` on every change of the address the app takes (none held back by a draft). Returns its
 * removal. Every `hashchange` listener of the app's views goes through here.
 */
export function onHashChange(listener: Listener): () => void {
  if (listeners.size === 0) {
    at = position();
    window.addEventListener('hashchange', onWindowHash);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('hashchange', onWindowHash);
  };
}

/**
 * A move within a page that the address does not show (another item of a list, another tab of it, which
 * unmount the draft shown): `go` at once, or asked first while a draft holds (Discard goes). `self`: the
 * draft making the move itself (its own Rename), not asked.
 */
export function askFirst(go: () => void, self?: Hold): void {
  askEach(go, new Set(self ? [self] : []));
}

/** An in-app move to `hash` (as `location.hash` takes it: "/syncs"): asked first while a draft holds. */
export function goTo(hash: string): void {
  // Where the user already is: no move (so nothing to ask).
  if (`#${hash.replace(/^#/, '')}` === window.location.hash) return;
  askFirst(() => {
    window.location.hash = hash;
  });
}
