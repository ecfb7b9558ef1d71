// Pure (no electron import): where the app's own pages live, for the trust and navigation checks.

/** The renderer is served from `sluice://app/`, a standard, secure scheme of our own. */
export const APP_SCHEME = 'sluice';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** True for a URL of the app's own pages, `sluice://app/…` exactly (no other host, port or user). */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app' && parsed.username === '' && parsed.password === '' && parsed.pathname.startsWith('/');
}
