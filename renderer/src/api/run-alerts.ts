import { useEffect } from 'react';
import { runAlert } from '../../../shared/config/run-alert';
import type { AppInfo, SluiceApi } from '../../../shared/ipc/contract';

/** Whether this page can show Web Notifications at all (Electron's shell shows its own). */
export function webAlertsAvailable(runtime: AppInfo['runtime']): boolean {
  return runtime !== 'electron' && typeof window !== 'undefined' && 'Notification' in window;
}

/**
 * Asks the browser for leave to show notifications, once, when the user does something that makes
 * alerts useful (starts a real run, turns alerts on): never on page load. Answers the permission.
 */
export async function askAlertPermission(runtime: AppInfo['runtime'], enabled: boolean): Promise<NotificationPermission | null> {
  if (!enabled || !webAlertsAvailable(runtime)) return null;
  if (Notification.permission !== 'default') return Notification.permission;
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/**
 * The browser host's run alerts: a Web Notification when a run this page hears about fails or ends
 * partial (the decision and the words are `runAlert`'s, the same as the Electron shell's).
 */
export function useRunAlerts(api: SluiceApi | null, runtime: AppInfo['runtime'] | null, enabled: boolean): void {
  useEffect(() => {
    if (!api || !runtime || !webAlertsAvailable(runtime)) return;
    const shown = new Set<number>();
    return api.on('runProgress', (run) => {
      const alert = runAlert(run, enabled);
      if (!alert || shown.has(run.id) || Notification.permission !== 'granted') return;
      shown.add(run.id);
      try {
        new Notification(alert.title, { body: alert.body, tag: alert.tag });
      } catch {
        // Some browsers only show notifications from a service worker: the run's result is on screen.
      }
    });
  }, [api, runtime, enabled]);
}
