import { useEffect, useState, type FormEvent } from 'react';
import type { SecretRef } from '../../../shared/ipc/contract';
import type { Settings, Theme } from '../../../shared/settings';
import { useSession } from '../api/context';
import { askAlertPermission, webAlertsAvailable } from '../api/run-alerts';
import { ErrorBanner } from '../components/ErrorBanner';
import { Time } from '../components/Time';
import { TableScroll } from '../components/TableScroll';

export function SettingsView({ settings, onSettings }: { settings: Settings; onSettings: (s: Settings) => void }) {
  const { api } = useSession();
  const [retention, setRetention] = useState(String(settings.debuggerRetentionDays));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const update = async (patch: Partial<Settings>) => {
    setError(null);
    setSaved(false);
    try {
      onSettings(await api.updateSettings(patch));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };

  const onSaveRetention = (event: FormEvent) => {
    event.preventDefault();
    // The engine validates; the UI shows what it says (field and reason).
    void update({ debuggerRetentionDays: retention.trim() === '' ? Number.NaN : Number(retention) });
  };

  const exportDiagnostics = async () => {
    try {
      const { fileName, content } = await api.exportDiagnostics({});
      const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="page">
      <h1>Settings</h1>
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <section className="card">
        <h2>Appearance</h2>
        <label className="field">
          <span>Theme</span>
          <select aria-label="Theme" value={settings.theme} onChange={(e) => void update({ theme: e.target.value as Theme })}>
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </section>
      <section className="card">
        <h2>Debugger</h2>
        <form onSubmit={onSaveRetention} className="row">
          <label className="field">
            <span>Keep recorded API calls for (days)</span>
            <input aria-label="Debugger retention (days)" type="number" value={retention} onChange={(e) => setRetention(e.target.value)} />
          </label>
          <button type="submit">Save</button>
          {saved && (
            <span className="muted" role="status">
              Saved
            </span>
          )}
        </form>
      </section>
      <AlertsCard settings={settings} onSettings={onSettings} onError={setError} />
      <SecretsCard />
      <AboutCard onExport={() => void exportDiagnostics()} />
    </div>
  );
}

/** What is running: version, workspace, schema, runtime; and the diagnostics export. */
function AboutCard({ onExport }: { onExport: () => void }) {
  const { info } = useSession();
  return (
    <section className="card">
      <h2>About</h2>
      <dl className="facts">
        <dt>Version</dt>
        <dd>{info.version}</dd>
        <dt>Workspace</dt>
        <dd>
          <code>{info.workspace}</code>
        </dd>
        <dt>Schema version</dt>
        <dd>{info.schemaVersion}</dd>
        <dt>Running in</dt>
        <dd>{info.runtime === 'electron' ? 'Electron' : info.runtime === 'cli' ? 'Command line' : 'Browser host'}</dd>
      </dl>
      <button type="button" onClick={onExport}>
        Export diagnostics
      </button>
    </section>
  );
}

/** Run alerts: on or off, and (in a browser) whether the browser lets Sluice show them. */
function AlertsCard({ settings, onSettings, onError }: { settings: Settings; onSettings: (s: Settings) => void; onError: (err: unknown) => void }) {
  const { api, info } = useSession();
  const web = webAlertsAvailable(info.runtime);
  const [permission, setPermission] = useState<NotificationPermission | null>(web ? Notification.permission : null);
  // The box follows the click at once; the saved setting (or its refusal) follows.
  const [checked, setChecked] = useState(settings.runAlerts);
  const [saved, setSaved] = useState(settings.runAlerts);
  if (saved !== settings.runAlerts) {
    // The setting changed (saved here, or in another window): the box shows it.
    setSaved(settings.runAlerts);
    setChecked(settings.runAlerts);
  }

  const toggle = async (on: boolean) => {
    setChecked(on);
    // Asked from the click that turns alerts on (browsers want a user gesture), before the save.
    const asked = askAlertPermission(info.runtime, on);
    try {
      onSettings(await api.updateSettings({ runAlerts: on }));
    } catch (err) {
      setChecked(!on);
      onError(err);
    }
    const answer = await asked;
    if (answer) setPermission(answer);
  };

  return (
    <section className="card">
      <h2>Alerts</h2>
      <label className="check">
        <input type="checkbox" aria-label="Alert me when a run fails" checked={checked} onChange={(e) => void toggle(e.target.checked)} />
        <span>Show a desktop notification when a run fails or sends only part of its records (not for dry runs, successful runs or runs you cancel)</span>
      </label>
      {info.runtime !== 'electron' && !web && <p className="muted">This browser cannot show notifications.</p>}
      {web && checked && permission === 'denied' && (
        <p className="muted" role="status">
          The browser blocks notifications from this page: allow them in the site settings (the icon left of the address) to get alerts.
        </p>
      )}
      {web && checked && permission === 'default' && (
        <p className="muted">
          The browser will ask whether Sluice may show notifications when you first run a sync.{' '}
          <button type="button" className="link-button" onClick={() => void askAlertPermission(info.runtime, true).then((p) => p && setPermission(p))}>
            Allow now
          </button>
        </p>
      )}
    </section>
  );
}

function SecretsCard() {
  const { api, info } = useSession();
  const [secrets, setSecrets] = useState<SecretRef[]>([]);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.listSecrets({}).then(setSecrets, setError);
    return api.on('secretsChanged', setSecrets);
  }, [api]);

  const onSave = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.saveSecret({ name, value });
      setName('');
      setValue('');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="card">
      <h2>Secrets</h2>
      <p className="muted">
        {info.keychain.backend === 'os'
          ? 'Passwords and keys are kept in your OS keychain. Sluice stores only their names.'
          : 'No OS keychain is available: secrets are kept in memory until Sluice quits.'}
      </p>
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {secrets.length > 0 && (
        <TableScroll label="Saved secrets">
          <table className="table" aria-label="Saved secrets">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kept in</th>
                <th>Updated</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {secrets.map((s) => (
                <tr key={s.name}>
                  <td>{s.name}</td>
                  <td>{s.backend === 'os' ? 'OS keychain' : 'Memory'}</td>
                  <td>
                    <Time iso={s.updatedAt} />
                  </td>
                  <td>
                    <button type="button" className="ghost" onClick={() => void api.deleteSecret({ name: s.name }).catch(setError)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <form onSubmit={(e) => void onSave(e)} className="row">
        <label className="field">
          <span>Name</span>
          <input aria-label="Secret name" value={name} onChange={(e) => setName(e.target.value)} placeholder="kafka/prod-password" />
        </label>
        <label className="field">
          <span>Value</span>
          <input aria-label="Secret value" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit">Save secret</button>
      </form>
    </section>
  );
}
