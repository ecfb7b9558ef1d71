// Prints one closing line for the whole suite, from the Vitest and Playwright JSON reports:
// "Sluice: N passed, N failed, N skipped".
import fs from 'node:fs';
import path from 'node:path';

const reports = path.resolve(__dirname, '..', 'reports');
let passed = 0;
let failed = 0;
let skipped = 0;

const vitestFile = path.join(reports, 'vitest.json');
if (fs.existsSync(vitestFile)) {
  const v = JSON.parse(fs.readFileSync(vitestFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
}
const playwrightFile = path.join(reports, 'playwright.json');
if (fs.existsSync(playwrightFile)) {
  const p = JSON.parse(fs.readFileSync(playwrightFile, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
}
console.log(`\nSluice: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
