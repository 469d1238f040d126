/** Undo and redo over the strokes: a reducer with the usual rules of a drawing program. */
import { describe, expect, it } from 'vitest';
import type { Stroke } from '@bgr/strokes';
import { canRedo, canUndo, EMPTY_HISTORY, historyReducer } from '~/components/remove/editor/history';

const stroke = (x: number, mode: Stroke['mode'] = 'erase'): Stroke => ({
  mode,
  radius: 0.02,
  softness: 0.3,
  points: [x, 0.5],
});

describe('historyReducer', () => {
  it('adds, undoes and redoes in order', () => {
    const [a, b, c] = [stroke(0.1), stroke(0.2, 'restore'), stroke(0.3)];
    let h = EMPTY_HISTORY;
    for (const s of [a, b, c]) h = historyReducer(h, { type: 'add', stroke: s });
    expect(h.strokes).toEqual([a, b, c]);
    h = historyReducer(h, { type: 'undo' });
    h = historyReducer(h, { type: 'undo' });
    expect(h.strokes).toEqual([a]);
    expect(canRedo(h)).toBe(true);
    h = historyReducer(h, { type: 'redo' });
    expect(h.strokes).toEqual([a, b]);
    expect(h.undone).toEqual([c]);
    h = historyReducer(h, { type: 'redo' });
    expect(h.strokes).toEqual([a, b, c]);
    expect(canRedo(h)).toBe(false);
  });

  it('forgets what was undone once a new stroke is painted', () => {
    let h = historyReducer(EMPTY_HISTORY, { type: 'load', strokes: [stroke(0.1), stroke(0.2)] });
    h = historyReducer(h, { type: 'undo' });
    h = historyReducer(h, { type: 'add', stroke: stroke(0.9) });
    expect(h.strokes.map((s) => s.points[0])).toEqual([0.1, 0.9]);
    expect(canRedo(h)).toBe(false);
  });

  it('leaves the state as it is when there is nothing to undo or redo', () => {
    const h = historyReducer(EMPTY_HISTORY, { type: 'add', stroke: stroke(0.4) });
    expect(historyReducer(h, { type: 'redo' })).toBe(h);
    const empty = historyReducer(h, { type: 'undo' });
    expect(canUndo(empty)).toBe(false);
    expect(historyReducer(empty, { type: 'undo' })).toBe(empty);
  });

  it('loads a saved edit with an empty redo stack, and clears to nothing', () => {
    const saved = [stroke(0.1), stroke(0.2)];
    const h = historyReducer({ strokes: [stroke(0.7)], undone: [stroke(0.8)] }, { type: 'load', strokes: saved });
    expect(h).toEqual({ strokes: saved, undone: [] });
    expect(historyReducer(h, { type: 'clear' })).toEqual(EMPTY_HISTORY);
  });
});
