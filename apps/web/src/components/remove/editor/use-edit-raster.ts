'use client';
/**
 * Loads the editor's pixels for an image once they are wanted (the editor opened, or a saved edit
 * must be shown in the before/after view) and keeps one EditRaster for it, so the editor and the
 * edited preview draw from the same arrays. A failure is a sentence.
 */
import { useEffect, useState } from 'react';
import { EditRaster } from './edit-raster';
import { loadEditorPixels } from './load-pixels';

type State = { raster: EditRaster | null; error: string | null };

export function useEditRaster(image: { previewUrl: string; originalUrl: string }, wanted: boolean) {
  const [state, setState] = useState<State>({ raster: null, error: null });
  const [attempt, setAttempt] = useState(0);
  const have = state.raster !== null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` starts a new load after a failure
  useEffect(() => {
    if (!wanted || have) return;
    const controller = new AbortController();
    loadEditorPixels(image.previewUrl, image.originalUrl, controller.signal)
      .then((pixels) => setState({ raster: new EditRaster(pixels), error: null }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          raster: null,
          error: err instanceof Error ? err.message : 'The editor could not load this image. Please try again.',
        });
      });
    return () => controller.abort();
  }, [image.previewUrl, image.originalUrl, wanted, have, attempt]);

  return {
    raster: state.raster,
    error: state.error,
    retry: () => {
      setState({ raster: null, error: null });
      setAttempt((n) => n + 1);
    },
  };
}
