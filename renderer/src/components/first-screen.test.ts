import { describe, expect, it } from 'vitest';
import { noSectionChosen } from './GettingStarted';

describe('the first screen', () => {
  it('moves to the models only while no section is chosen, never over one the user clicked meanwhile', () => {
    for (const hash of ['', '#', '#/', '#token=abc123']) expect(noSectionChosen(hash)).toBe(true);
    for (const hash of ['#/syncs', '#/models', '#/debugger?run=3']) expect(noSectionChosen(hash)).toBe(false);
  });
});
