import { describe, expect, it } from 'vitest';
import { STEP, widthForKey } from './split-divider-keys';

describe('a split divider by keyboard', () => {
  it('grows a start pane with ArrowRight and shrinks an end pane', () => {
    expect(widthForKey('ArrowRight', 'start', 400, 300, 900)).toBe(400 + STEP);
    expect(widthForKey('ArrowRight', 'end', 400, 300, 900)).toBe(400 - STEP);
    expect(widthForKey('ArrowLeft', 'start', 400, 300, 900)).toBe(400 - STEP);
    expect(widthForKey('ArrowLeft', 'end', 400, 300, 900)).toBe(400 + STEP);
  });

  it('moves the divider to either end with Home and End', () => {
    expect(widthForKey('Home', 'start', 400, 300, 900)).toBe(300);
    expect(widthForKey('Home', 'end', 400, 300, 900)).toBe(900);
    expect(widthForKey('End', 'start', 400, 300, 900)).toBe(900);
    expect(widthForKey('End', 'end', 400, 300, 900)).toBe(300);
  });

  it('leaves other keys to the page', () => {
    expect(widthForKey('Tab', 'start', 400, 300, 900)).toBeNull();
  });
});
