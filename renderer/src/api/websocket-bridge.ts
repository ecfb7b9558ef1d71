import { buildBridge, type Bridge } from '../../../shared/ipc/bridge';
import type { EventName } from '../../../shared/ipc/contract';
import { SluiceError, type WireResult } from '../../../shared/ipc/errors';

const TOKEN_KEY = 'sluice.host-token';

/** The per-launch token arrives in the URL fragment; keep it for reloads of this tab only. */
function takeToken(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * The browser host's transport: the same contract over a WebSocket to /ipc on our own origin.
 */
export async function connectWebSocketBridge(): Promise<Bridge> {
  // A newly printed URL pasted into this tab changes only the fragment (no reload): take its token and
  // connect with it (the tab kept the old launch's token, and the reload its error asked for used it again).
  window.addEventListener('hashchange', (event) => {
    const fresh = new URLSearchParams(new URL(event.newURL).hash.replace(/^#/, '')).get('token');
    if (!fresh) return;
    sessionStorage.setItem(TOKEN_KEY, fresh);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    window.location.reload();
  });
  const token = takeToken();
  if (!token) {
    throw new SluiceError('forbidden-sender', 'This page was opened without its access token. Open the full URL that Sluice printed when it started.');
  }
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${window.location.host}/ipc?token=${encodeURIComponent(token)}`);
  const pending = new Map<number, (result: WireResult<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;

  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener(
      'error',
      () =>
        reject(
          new SluiceError(
            'forbidden-sender',
            'Could not connect to the Sluice engine. The access token may be from an earlier launch: open the URL Sluice printed when it started.',
          ),
        ),
      { once: true },
    );
  });

  socket.addEventListener('message', (message: MessageEvent<string>) => {
    const data = JSON.parse(message.data) as { id?: number; result?: WireResult<unknown>; event?: string; payload?: unknown };
    if (typeof data.id === 'number' && data.result) {
      pending.get(data.id)?.(data.result);
      pending.delete(data.id);
    } else if (data.event) {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) {
      resolve({
        ok: false,
        error: { code: 'internal', message: 'Lost the connection to the Sluice engine. Is it still running? Reload the page to reconnect.' },
      });
    }
    pending.clear();
  });

  return buildBridge(
    (channel, input) =>
      new Promise<WireResult<unknown>>((resolve) => {
        if (socket.readyState !== WebSocket.OPEN) {
          resolve({ ok: false, error: { code: 'internal', message: 'Not connected to the Sluice engine. Reload the page to reconnect.' } });
          return;
        }
        const id = nextId++;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, input }));
      }),
    (event: EventName, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  );
}
