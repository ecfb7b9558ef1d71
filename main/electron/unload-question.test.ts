import { describe, expect, it } from 'vitest';
import { UNLOAD_QUESTION, unloadGoesOn } from './unload-question';

describe('closing the window over unsaved changes', () => {
  it('closes only on Discard changes; Keep editing, Escape and closing the question keep the window and the draft', () => {
    expect(unloadGoesOn(UNLOAD_QUESTION.buttons.indexOf('Discard changes'))).toBe(true);
    expect(unloadGoesOn(UNLOAD_QUESTION.buttons.indexOf('Keep editing'))).toBe(false);
    // Escape or the question's own close answers cancelId: the safe choice.
    expect(unloadGoesOn(UNLOAD_QUESTION.cancelId)).toBe(false);
    expect(unloadGoesOn(UNLOAD_QUESTION.defaultId)).toBe(false);
  });
});
