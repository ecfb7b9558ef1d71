import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AppInfo, SluiceApi } from '../../shared/ipc/contract';
import type { Settings } from '../../shared/settings';
import { connect } from './api/connect';
import { queryKeys, useEngineInvalidation } from './api/queries';
import { useRunAlerts } from './api/run-alerts';
import { SessionContext, type Session } from './api/context';
import { ErrorBanner } from './components/ErrorBanner';
import { FirstScreen } from './components/GettingStarted';
import { goTo, onHashChange } from './components/leave-guard';
import { ShortcutLayer } from './components/ShortcutLayer';
import { InspectorView } from './views/InspectorView';
import { CaptureView } from './views/CaptureView';
import { DebuggerView } from './views/DebuggerView';
import { DestinationsView } from './views/DestinationsView';
import { ModelsView } from './views/ModelsView';
import { SourcesView } from './views/SourcesView';
import { SyncsView } from './views/SyncsView';
import { SettingsView } from './views/SettingsView';

const SECTIONS = [
  { id: 'sources', label: 'Sources' },
  { id: 'models', label: 'Models' },
  { id: 'destinations', label: 'Destinations' },
  { id: 'syncs', label: 'Syncs' },
  { id: 'debugger', label: 'Debugger' },
  { id: 'inspector', label: 'Inspector' },
  { id: 'capture', label: 'Capture' },
  { id: 'settings', label: 'Settings' },
] as const;
type SectionId = (typeof SECTIONS)[number]['id'];

/** The section in the address; null before one is chosen (the first screen). */
function sectionFromHash(): SectionId | null {
  const id = window.location.hash.replace(/^#\/?/, '').replace(/\?.*$/, '');
  // The browser host's first URL carries its access token in the fragment (#token=…): no section yet.
  if (id === '' || id.startsWith('token=')) return null;
  return SECTIONS.some((s) => s.id === id) ? (id as SectionId) : 'models';
}

function useSection(): [SectionId | null, (id: SectionId) => void] {
  const [section, setSection] = useState<SectionId | null>(sectionFromHash);
  useEffect(() => onHashChange(() => setSection(sectionFromHash())), []);
  return [section, (id) => goTo(`/${id}`)];
}

type Boot = { state: 'connecting' } | { state: 'failed'; error: unknown } | { state: 'ready'; api: SluiceApi; info: AppInfo; settings: Settings };
interface Connected {
  api: SluiceApi;
  info: AppInfo;
  settings: Settings;
}

/** Connects to the engine once (the query is shared, so StrictMode's second mount does not connect again). */
function useBoot(): [Boot, Connected | undefined, (settings: Settings) => void] {
  const client = useQueryClient();
  const connected = useQuery({
    queryKey: queryKeys.boot,
    queryFn: async (): Promise<Connected> => {
      const api = await connect();
      const [info, settings] = await Promise.all([api.getAppInfo({}), api.getSettings({})]);
      return { api, info, settings };
    },
    staleTime: Infinity,
    gcTime: Infinity,
  });
  const setSettings = useCallback((settings: Settings) => client.setQueryData<Connected>(queryKeys.boot, (c) => (c ? { ...c, settings } : c)), [client]);
  const boot: Boot = connected.data
    ? { state: 'ready', ...connected.data }
    : connected.error
      ? { state: 'failed', error: connected.error }
      : { state: 'connecting' };
  return [boot, connected.data, setSettings];
}

export function App() {
  const [boot, connected, setSettings] = useBoot();
  const [globalError, setGlobalError] = useState<unknown>(null);
  const [section, go] = useSection();
  const api = boot.state === 'ready' ? boot.api : null;
  useEngineInvalidation(api);

  useEffect(() => {
    if (!api) return;
    return api.on('settingsChanged', setSettings);
  }, [api, setSettings]);

  const theme = boot.state === 'ready' ? boot.settings.theme : 'system';
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const session = useMemo<Session | null>(() => (connected ? { ...connected, reportError: setGlobalError } : null), [connected]);
  useRunAlerts(boot.state === 'ready' ? boot.api : null, boot.state === 'ready' ? boot.info.runtime : null, boot.state === 'ready' && boot.settings.runAlerts);

  if (boot.state === 'connecting') return <div className="splash">Starting Sluice…</div>;
  if (boot.state === 'failed' || !session || boot.state !== 'ready') {
    return (
      <div className="splash">
        <ErrorBanner error={boot.state === 'failed' ? boot.error : 'Sluice could not start'} />
      </div>
    );
  }

  return (
    <SessionContext.Provider value={session}>
      <div className="shell" data-app-ready="true" data-testid="app-shell">
        <Sidebar section={section} go={go} version={boot.info.version} />
        <main className="content">
          {boot.info.keychain.backend === 'memory' && (
            <div className="banner banner-warn" role="status" data-testid="keychain-banner">
              <strong>{boot.info.keychain.problem}</strong>
              <div>{boot.info.keychain.howToEnable}</div>
            </div>
          )}
          {globalError !== null && <ErrorBanner error={globalError} onDismiss={() => setGlobalError(null)} />}
          <SectionView section={section} settings={boot.settings} onSettings={setSettings} />
        </main>
        <ShortcutLayer />
      </div>
    </SessionContext.Provider>
  );
}

/** The sections down the side, the current one marked, and the version. */
function Sidebar({ section, go, version }: { section: SectionId | null; go: (id: SectionId) => void; version: string }) {
  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="brand">Sluice</div>
      {SECTIONS.map((s) => (
        <a
          key={s.id}
          href={`#/${s.id}`}
          className={section === s.id ? 'active' : undefined}
          aria-current={section === s.id ? 'page' : undefined}
          onClick={(e) => {
            e.preventDefault();
            go(s.id);
          }}
        >
          {s.label}
        </a>
      ))}
      <div className="sidebar-foot muted">v{version}</div>
    </nav>
  );
}

/** The page of the section in the address (the first screen before one is chosen). */
function SectionView({ section, settings, onSettings }: { section: SectionId | null; settings: Settings; onSettings: (s: Settings) => void }) {
  return (
    <>
      {section === 'sources' && <SourcesView />}
      {section === null && (
        <FirstScreen>
          <ModelsView />
        </FirstScreen>
      )}
      {section === 'models' && <ModelsView />}
      {section === 'destinations' && <DestinationsView />}
      {section === 'syncs' && <SyncsView />}
      {section === 'debugger' && <DebuggerView />}
      {section === 'inspector' && <InspectorView />}
      {section === 'capture' && <CaptureView />}
      {section === 'settings' && <SettingsView settings={settings} onSettings={onSettings} />}
    </>
  );
}
