import { describe, expect, it } from 'vitest';
import { tempWorkspace } from '../testing/temp';
import { Engine } from './engine';
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

describe('the demo', () => {
  it('a workspace started with --no-demo stays without it when a sluice command opens it later', async () => {
    const ws = tempWorkspace();
    try {
      const app = await Engine.open({ workspace: ws.dir, runtime: 'browser-host', seedDemo: false, declineDemo: true });
      expect(app.catalog.listSources()).toEqual([]);
      await app.shutdown();
      // What `sluice export` (any command) does: open with the demo on by default.
      const cli = await Engine.open({ workspace: ws.dir, runtime: 'cli' });
      expect({ sources: cli.catalog.listSources(), syncs: cli.catalog.listSyncs() }).toEqual({ sources: [], syncs: [] });
      await cli.shutdown();
    } finally {
      ws.cleanup();
    }
  });

  it('a workspace opened without asking for no demo still gets it on first start', async () => {
    const ws = tempWorkspace();
    try {
      const cli = await Engine.open({ workspace: ws.dir, runtime: 'cli' });
      expect(cli.catalog.listSyncs().map((s) => s.definition.name)).toEqual(['Customers to sandbox']);
      await cli.shutdown();
    } finally {
      ws.cleanup();
    }
  });
});
