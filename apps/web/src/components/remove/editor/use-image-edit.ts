'use client';
/**
 * One image's hand edit as the page holds it: the strokes the server has (loaded once, so the
 * edit survives a reload), the undo/redo history over them, and the saving. A stroke that would
 * take the document over its caps is refused here with the same sentence the server would give,
 * before it is drawn into the history; the server checks again on save.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { parseEditDocument, type Stroke } from '@bgr/strokes';
import { useTRPC } from '~/trpc/react';
import { canRedo, canUndo, EMPTY_HISTORY, type EditHistory, type HistoryAction, historyReducer } from './history';
import { toDocument, useEditSave } from './use-edit-save';

export function useImageEdit(imageId: string) {
  const trpc = useTRPC();
  const saved = useQuery({
    ...trpc.images.getEdit.queryOptions({ imageId }),
    // Read once per opening of the image: the page's own copy is the truth while it is open, and
    // nothing stale is kept for the next opening (the edit may have changed or been reset since).
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  const save = useEditSave(imageId);
  const [history, setHistory] = useState<EditHistory>(EMPTY_HISTORY);
  const current = useRef(history);
  const [loaded, setLoaded] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  const { loaded: markLoaded } = save;
  useEffect(() => {
    if (loaded || !saved.data) return;
    const strokes = saved.data.document?.strokes ?? [];
    const next = historyReducer(EMPTY_HISTORY, { type: 'load', strokes });
    current.current = next;
    setHistory(next);
    markLoaded(strokes);
    setLoaded(true);
  }, [loaded, saved.data, markLoaded]);

  const { change } = save;
  const apply = useCallback(
    (action: HistoryAction, opts: { soon?: boolean } = {}) => {
      const next = historyReducer(current.current, action);
      if (next === current.current) return;
      current.current = next;
      setHistory(next);
      setRefusal(null);
      change(next.strokes, opts);
    },
    [change],
  );

  /** A finished stroke; false (and a sentence) when the document would go over its caps. */
  const addStroke = useCallback(
    (stroke: Stroke): boolean => {
      const parsed = parseEditDocument(toDocument([...current.current.strokes, stroke]));
      if (!parsed.ok) {
        setRefusal(`This stroke was not kept: ${lowerFirst(parsed.error)}`);
        return false;
      }
      apply({ type: 'add', stroke }, { soon: true });
      return true;
    },
    [apply],
  );

  const { reset: resetSaved } = save;
  const reset = useCallback(async () => {
    await resetSaved();
    current.current = EMPTY_HISTORY;
    setHistory(EMPTY_HISTORY);
    setRefusal(null);
  }, [resetSaved]);

  return {
    /** The saved edit has been read (or there was none): the editor may start. */
    loaded,
    loadError: saved.error ? saved.error.message : null,
    history,
    edited: history.strokes.length > 0,
    canUndo: canUndo(history),
    canRedo: canRedo(history),
    addStroke,
    undo: useCallback(() => apply({ type: 'undo' }), [apply]),
    redo: useCallback(() => apply({ type: 'redo' }), [apply]),
    reset,
    resetting: save.resetting,
    /** Resolves once the server has every change (an HD download renders what is saved). */
    flush: save.flush,
    saveStatus: save.status,
    /** The server's refusal of the last save, or a stroke refused here: a sentence. */
    error: refusal ?? save.error,
    dismissError: () => {
      setRefusal(null);
      save.dismissError();
    },
  };
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

export type ImageEdit = ReturnType<typeof useImageEdit>;
