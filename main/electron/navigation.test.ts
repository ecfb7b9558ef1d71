import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINK_HOSTS, externalLinkToOpen } from './external-links';
import { decideNavigation, decideWindowOpen } from './navigation';

describe('navigation of the main window', () => {
  it('stays within sluice://app/', () => {
    expect(decideNavigation('sluice://app/index.html')).toEqual({ allow: true });
    expect(decideNavigation('sluice://app/index.html#/runs')).toEqual({ allow: true });
  });

  it('refuses to navigate anywhere else, and opens nothing for it', () => {
    for (const url of [
      'sluice://evil/index.html',
      'sluice://app.evil/',
      'file:///etc/passwd',
      'http://localhost:5173/',
      'http://127.0.0.1:9000/',
      'https://unknown.example/',
      'javascript:alert(1)',
      'data:text/html,x',
      'about:blank',
      '',
    ]) {
      expect(decideNavigation(url), url).toEqual({ allow: false });
    }
  });

  it('sends an allowed documentation link to the system browser instead of navigating', () => {
    expect(decideNavigation('https://docs.aws.amazon.com/kinesis/latest/dev/')).toEqual({
      allow: false,
      openExternal: 'https://docs.aws.amazon.com/kinesis/latest/dev/',
    });
  });

  it('never opens a new window; only allowed https links reach the system browser', () => {
    expect(decideWindowOpen('https://liquidjs.com/filters/overview.html')).toEqual({
      allow: false,
      openExternal: 'https://liquidjs.com/filters/overview.html',
    });
    for (const url of [
      'sluice://app/index.html',
      'http://kafka.apache.org/documentation/',
      'https://unknown.example/',
      'javascript:alert(1)',
      'file:///etc/passwd',
    ]) {
      expect(decideWindowOpen(url), url).toEqual({ allow: false });
    }
  });
});

describe('links given to shell.openExternal', () => {
  it('opens https links to the documentation hosts the app links to', () => {
    for (const host of EXTERNAL_LINK_HOSTS) expect(externalLinkToOpen(`https://${host}/a?b=1#c`)).toBe(`https://${host}/a?b=1#c`);
    expect(externalLinkToOpen('https://DOCS.AWS.AMAZON.COM/x')).toBe('https://docs.aws.amazon.com/x');
  });

  it('refuses other schemes, plain http, other hosts, look-alike hosts, ports and credentials', () => {
    for (const url of [
      'javascript:alert(1)',
      'http://docs.aws.amazon.com/',
      'https://unknown.example/',
      'https://docs.aws.amazon.com.evil.example/',
      'https://evil.docs.aws.amazon.com/',
      'https://docs.aws.amazon.com:8443/',
      'https://user:pass@docs.aws.amazon.com/',
      'file:///etc/passwd',
      'smb://server/share',
      'ms-settings:',
      'mailto:a@b.example',
      'sluice://app/',
      'not a url',
      '',
    ]) {
      expect(externalLinkToOpen(url), url).toBeUndefined();
    }
  });
});
