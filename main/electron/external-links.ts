// Pure (no electron import): which links Sluice hands to the system browser (shell.openExternal).

/**
 * Hosts of documentation the app may link to. The UI links to none today; a link to another site
 * needs its host added here (and a test), so a compromised page cannot make the OS open arbitrary URLs.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['docs.aws.amazon.com', 'kafka.apache.org', 'liquidjs.com'];

/**
 * The URL to give to shell.openExternal, or undefined to open nothing: https only, to a host of the
 * allow-list exactly (not a subdomain), on the default port, without credentials.
 */
export function externalLinkToOpen(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return undefined;
  if (!hosts.includes(parsed.hostname)) return undefined;
  return parsed.href;
}
