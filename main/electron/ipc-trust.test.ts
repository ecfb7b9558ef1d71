import { describe, expect, it } from 'vitest';
import { isTrustedSender, type IpcSenderFacts } from './ipc-trust';

const ours: IpcSenderFacts = { senderId: 7, windowId: 7, isTopFrame: true, frameUrl: 'sluice://app/index.html' };

describe('which IPC sender the Electron app trusts', () => {
  it("accepts our window's top frame showing a page of sluice://app/", () => {
    expect(isTrustedSender(ours)).toBe(true);
    expect(isTrustedSender({ ...ours, frameUrl: 'sluice://app/' })).toBe(true);
    expect(isTrustedSender({ ...ours, frameUrl: 'sluice://app/index.html#/syncs?x=1' })).toBe(true);
  });

  it('refuses a subframe, another webContents, a closed window and a frame that went away', () => {
    expect(isTrustedSender({ ...ours, isTopFrame: false })).toBe(false);
    expect(isTrustedSender({ ...ours, senderId: 8 })).toBe(false);
    expect(isTrustedSender({ ...ours, windowId: undefined })).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: '' })).toBe(false);
  });

  it('refuses pages from anywhere else, however close the URL looks', () => {
    for (const frameUrl of [
      'sluice://evil/index.html',
      'sluice://app.evil/',
      'sluice://app:8080/',
      'sluice://user@app/',
      'sluice://app',
      'other://app/index.html',
      'file:///tmp/index.html',
      'http://localhost:5173/',
      'https://app/',
      'about:blank',
      'data:text/html,<p>x</p>',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isTrustedSender({ ...ours, frameUrl }), frameUrl).toBe(false);
    }
  });
});
