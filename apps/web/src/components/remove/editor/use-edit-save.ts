'use client';
/**
 * Keeps the server's copy of an image's edit in step with the editor: a change is saved a moment
 * after it is made (a quarter of a second after a stroke ends, a little longer after an undo, so
 * a burst is one request), at once when asked (closing the editor, before an HD download, which
 * renders what is saved), and never two saves at a time — a change made while one is in flight is sent after it. A refusal (over the
 * stroke or size cap) is kept as the server's sentence for the editor to show; the next change
 * tries again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { EditDocument, Stroke } from '@bgr/strokes';
import { useTRPC } from '~/trpc/react';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'error';

/** After an undo or redo (people often press it several times in a row). */
const DEBOUNCE_MS = 600;
/** After a stroke: soon, but strokes painted in quick succession still go in one request. */
const SOON_MS = 250;

export function toDocument(strokes: readonly Stroke[]): EditDocument {
  return { version: 1, strokes: [...strokes] };
}

export function useEditSave(imageId: string) {
  const trpc = useTRPC();
  const saveMutation = useMutation(trpc.images.saveEdit.mutationOptions());
  const resetMutation = useMutation(trpc.images.resetEdit.mutationOptions());
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [error, setError] = useState<string | null>(null);
  const latest = useRef<EditDocument>(toDocument([]));
  const savedJson = useRef(JSON.stringify(latest.current));
  const running = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The mutation object changes identity each render; the pump reads the current one.
  const mutate = useRef(saveMutation.mutateAsync);
  mutate.current = saveMutation.mutateAsync;

  const pump = useCallback(async () => {
    for (;;) {
      const doc = latest.current;
      const json = JSON.stringify(doc);
      if (json === savedJson.current) break;
      setStatus('saving');
      try {
        await mutate.current({ imageId, document: doc });
        savedJson.current = json;
        setError(null);
      } catch (err) {
        setStatus('error');
        setError(err instanceof Error ? err.message : 'Your edit could not be saved. Please try again.');
        throw err;
      }
    }
    setStatus('saved');
  }, [imageId]);

  /** Sends what is unsaved now and resolves once the server has it (rejects with its refusal). */
  const flush = useCallback((): Promise<void> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!running.current) {
      running.current = pump().finally(() => {
        running.current = null;
      });
    }
    return running.current;
  }, [pump]);

  /** The document after a change; saved after a pause (a shorter one with `soon`). */
  const change = useCallback(
    (strokes: readonly Stroke[], opts: { soon?: boolean } = {}) => {
      latest.current = toDocument(strokes);
      if (JSON.stringify(latest.current) === savedJson.current) return;
      setStatus((s) => (s === 'saving' ? s : 'pending'));
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush().catch(() => undefined), opts.soon ? SOON_MS : DEBOUNCE_MS);
    },
    [flush],
  );

  /** What the server had when the editor loaded: nothing to save until it changes. */
  const loaded = useCallback((strokes: readonly Stroke[]) => {
    latest.current = toDocument(strokes);
    savedJson.current = JSON.stringify(latest.current);
    setStatus('saved');
    setError(null);
  }, []);

  /** Back to the model's own cut-out: the saved edit is deleted. */
  const reset = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    await running.current?.catch(() => undefined);
    await resetMutation.mutateAsync({ imageId });
    loaded([]);
  }, [imageId, loaded, resetMutation]);

  // Leaving the page with a change not yet sent: send it (best effort) and ask the browser to warn.
  useEffect(() => {
    function onBeforeUnload(e: BeforeUnloadEvent) {
      if (JSON.stringify(latest.current) === savedJson.current) return;
      void flush().catch(() => undefined);
      e.preventDefault();
    }
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      if (timer.current) {
        clearTimeout(timer.current);
        void flush().catch(() => undefined);
      }
    };
  }, [flush]);

  return {
    status,
    error,
    change,
    flush,
    loaded,
    reset,
    resetting: resetMutation.isPending,
    dismissError: () => setError(null),
  };
}
