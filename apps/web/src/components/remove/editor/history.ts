/**
 * Undo and redo over the strokes. The document is the list of strokes applied in order, so the
 * history needs no snapshots: undo moves the newest stroke onto a redo stack, redo moves it back,
 * and a new stroke clears the redo stack (as in every drawing program). A reducer, so the editor
 * and its tests share one definition of each step.
 */
import type { Stroke } from '@bgr/strokes';

export type EditHistory = {
  /** Applied, oldest first: the document that is saved. */
  strokes: readonly Stroke[];
  /** Undone, the most recently undone last. */
  undone: readonly Stroke[];
};

export type HistoryAction =
  | { type: 'load'; strokes: readonly Stroke[] }
  | { type: 'add'; stroke: Stroke }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'clear' };

export const EMPTY_HISTORY: EditHistory = { strokes: [], undone: [] };

export function historyReducer(state: EditHistory, action: HistoryAction): EditHistory {
  switch (action.type) {
    case 'load':
      return { strokes: [...action.strokes], undone: [] };
    case 'add':
      return { strokes: [...state.strokes, action.stroke], undone: [] };
    case 'undo': {
      const last = state.strokes[state.strokes.length - 1];
      if (!last) return state;
      return { strokes: state.strokes.slice(0, -1), undone: [...state.undone, last] };
    }
    case 'redo': {
      const next = state.undone[state.undone.length - 1];
      if (!next) return state;
      return { strokes: [...state.strokes, next], undone: state.undone.slice(0, -1) };
    }
    case 'clear':
      return EMPTY_HISTORY;
  }
}

export const canUndo = (h: EditHistory) => h.strokes.length > 0;
export const canRedo = (h: EditHistory) => h.undone.length > 0;
