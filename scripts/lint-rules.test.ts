import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rules of ARCHITECTURE.md, proven to fire on code that breaks them.
const eslint = new ESLint({ cwd: process.cwd() });

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering lint rules', () => {
  it('keeps Node, DOM and Electron out of shared/', async () => {
    expect(await messages('shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toEqual([
      expect.stringContaining('shared/ must not import Node modules'),
    ]);
    expect(await messages('shared/x.ts', "import path from 'path';\nexport const a = path;\n")).toEqual([
      expect.stringContaining('shared/ must not import Node modules'),
    ]);
    expect(await messages('shared/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      expect.stringContaining('shared/ must not import Electron'),
    ]);
    expect(await messages('shared/x.ts', 'export const w = window.innerWidth;\n')).toEqual([expect.stringContaining('shared/ must not use window')]);
    expect(await messages('shared/x.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
  });

  it('allows raw ipcMain/ipcRenderer only in the two adapters', async () => {
    const code = "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n";
    expect(await messages('main/electron/window.ts', code)).toEqual([
      expect.stringContaining('raw ipcMain/ipcRenderer live only in ipc-adapter.ts and preload.ts'),
    ]);
    expect(await messages('main/electron/ipc-adapter.ts', code)).toEqual([]);
  });

  it('keeps electron out of the engine and the renderer, and main/ out of the renderer', async () => {
    expect(await messages('main/engine/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      expect.stringContaining('Only main/electron/'),
    ]);
    expect(await messages('renderer/src/x.ts', "import { Engine } from '../../main/engine/engine';\nexport const e = Engine;\n")).toEqual([
      expect.stringContaining('The renderer must not import from main/'),
    ]);
    expect(await messages('renderer/src/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toEqual([
      expect.stringContaining('The renderer is sandboxed'),
    ]);
  });

  it('lets features take EngineServices, not the Engine class, and keeps the ground floor below the features', async () => {
    const engineImport = "import type { Engine } from '../engine/engine';\nexport type E = Engine;\n";
    expect(await messages('main/sync/x.ts', engineImport)).toEqual([expect.stringContaining('Features take EngineServices')]);
    expect(await messages('main/ipc/x.ts', engineImport)).toEqual([expect.stringContaining('Features take EngineServices')]);
    expect(await messages('main/cli/x.ts', engineImport)).toEqual([]);
    expect(await messages('main/sync/x.ts', "import type { EngineServices } from '../engine/services';\nexport type E = EngineServices;\n")).toEqual([]);
    expect(await messages('main/state/x.ts', "import { SyncRunner } from '../sync/sync-runner';\nexport const r = SyncRunner;\n")).toEqual([
      expect.stringContaining('ground floor'),
    ]);
    expect(await messages('main/secrets/x.ts', "import { CatalogStore } from '../catalog/catalog-store';\nexport const c = CatalogStore;\n")).toEqual([
      expect.stringContaining('ground floor'),
    ]);
    expect(await messages('main/secrets/x.ts', "import { Logger } from '../log/logger';\nexport type L = Logger;\n")).toEqual([]);
    // Still in force beside the new patterns: electron stays out.
    expect(await messages('main/sync/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      expect.stringContaining('Only main/electron/'),
    ]);
  });

  it('keeps kafkajs behind main/kafka/', async () => {
    const client = "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n";
    expect(await messages('main/sync/x.ts', client)).toEqual([expect.stringContaining('Only main/kafka/ imports kafkajs')]);
    expect(await messages('main/inspector/x.ts', "import Connection from 'kafkajs/src/network/connection';\nexport const c = Connection;\n")).toEqual([
      expect.stringContaining('Only main/kafka/ reaches into kafkajs internals'),
    ]);
    expect(await messages('main/kafka/x.ts', client)).toEqual([]);
    expect(await messages('main/sync/x.test.ts', client)).toEqual([]);
    // Stacks with the layering rule: both fire on a file that breaks both.
    expect(await messages('main/sync/x.ts', `${client}import { app } from 'electron';\nexport const a = app;\n`)).toEqual(
      expect.arrayContaining([expect.stringContaining('Only main/kafka/'), expect.stringContaining('Only main/electron/')]),
    );
  });

  it('keeps branches on a destination kind inside the kinds: generic code asks the registry', async () => {
    const branchy =
      "export const f = (d: { kind: string }) => (d.kind === 'kafka' ? 1 : 2);\n" +
      "export function g(d: { kind: string }): number {\n  switch (d.kind) {\n    case 'firehose':\n      return 1;\n    default:\n      return 0;\n  }\n}\n";
    for (const file of ['main/sync/x.ts', 'shared/config/x.ts', 'renderer/src/views/x.tsx'])
      expect(await messages(file, branchy)).toEqual([
        expect.stringContaining('instead of comparing a kind with a kind’s name'),
        expect.stringContaining('instead of switching on a kind’s name'),
      ]);
    for (const file of [
      'main/destinations/kinds/kafka/x.ts',
      'shared/destinations/kinds/x.ts',
      'renderer/src/destinations/kinds/kafka/x.tsx',
      'main/sync/x.test.ts',
    ])
      expect(await messages(file, branchy)).toEqual([]);
    // Other names are free: an API call's service, a source's kind.
    expect(await messages('main/sync/x.ts', "export const s = (c: { service: string }) => c.service === 'kafka';\n")).toEqual([]);
    expect(await messages('main/sync/x.ts', "export const p = (s: { kind: string }) => s.kind === 'postgres';\n")).toEqual([]);
  });

  it('keeps product functions under 80 lines and complexity 20, and files under 300 lines; tests are free of it', async () => {
    const long = `export function f(): number {\n  let n = 0;\n${'  n++;\n'.repeat(80)}  return n;\n}\n`;
    const branchy = `export function g(x: number): number {\n${Array.from({ length: 21 }, (_, i) => `  if (x === ${i}) return ${i};\n`).join('')}  return -1;\n}\n`;
    const big = `${'export const a = 1;\n'.repeat(301)}`.replace(/a = 1;\n/g, (_, i: number) => `a${i} = 1;\n`);
    expect(await messages('main/sync/x.ts', long)).toEqual([expect.stringContaining('max-lines-per-function')]);
    expect(await messages('renderer/src/views/x.tsx', branchy)).toEqual([expect.stringContaining('complexity')]);
    expect(await messages('shared/config/x.ts', big)).toEqual([expect.stringContaining('max-lines')]);
    expect(await messages('main/sync/x.test.ts', long + branchy)).toEqual([]);
    expect(await messages('main/state/migrations/099-x.ts', long)).toEqual([]);
  });
});
