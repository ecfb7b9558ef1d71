import { createContext, useContext } from 'react';
import type { AppInfo, SluiceApi } from '../../../shared/ipc/contract';
import type { Settings } from '../../../shared/settings';

export interface Session {
  api: SluiceApi;
  info: AppInfo;
  settings: Settings;
  /** Show an engine error (or any failure) to the user as a readable message. */
  reportError(error: unknown): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionContext.Provider>');
  return session;
}
