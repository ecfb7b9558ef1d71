import { describe, expect, it } from 'vitest';
import { resolveWorkspace } from './workspace';

describe('the workspace folder', () => {
  it('an empty --workspace (a script’s unset variable) is refused, never the user’s real workspace', () => {
    expect(() => resolveWorkspace('', { HOME: '/home/someone' })).toThrow(/The workspace folder is empty/);
    expect(() => resolveWorkspace('  ', {})).toThrow(/The workspace folder is empty/);
  });

  it('--workspace, then SLUICE_HOME, then the user-data folder', () => {
    expect(resolveWorkspace('/tmp/ws', { SLUICE_HOME: '/tmp/other' })).toBe('/tmp/ws');
    expect(resolveWorkspace(undefined, { SLUICE_HOME: '/tmp/other' })).toBe('/tmp/other');
    if (process.platform === 'linux') expect(resolveWorkspace(undefined, { XDG_CONFIG_HOME: '/tmp/cfg' })).toBe('/tmp/cfg/Sluice');
  });
});
