'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { shadowQuery, type ShadowChoice } from '~/lib/shadow';

/**
 * The hand edit as the shadow preview needs it: its revision (null: none), a way to save what is
 * pending, and whether it is being drawn now (the editor is open: no render per stroke; the last
 * preview stays until the editor closes).
 */
export type PreviewEdit = { revision: string | null; flush: () => Promise<void>; editing?: boolean };

/**
 * The preview to show for a shadow choice: the stored plain preview, or the same preview drawn
 * again with the shadow and the saved hand edit (fetched once the choice has been still for a
 * moment, so dragging the opacity slider asks for one render, not twenty). Until it arrives the last
 * one stays on screen. The edit's revision is part of the URL: another edit is another URL, drawn
 * afresh (after its strokes are saved), never an older edit from the browser's cache.
 */
export function useShadowPreview(previewUrl: string, shadow: ShadowChoice | null, edit: PreviewEdit) {
  const shadowPart = shadowQuery(shadow);
  const query = shadowPart && edit.revision ? `${shadowPart}&edit=${edit.revision}` : shadowPart;
  const [shown, setShown] = useState<{ query: string; url: string }>({ query: '', url: previewUrl });
  const [error, setError] = useState<string | null>(null);
  const flush = useRef(edit.flush);
  flush.current = edit.flush;

  // The object URL on screen: revoked once another preview has replaced it (not when a fetch is
  // cancelled, nor while the editor is open: it is shown again when the editor closes).
  const onScreen = useRef<string | null>(null);
  const show = useCallback((next: { query: string; url: string }) => {
    const old = onScreen.current;
    onScreen.current = next.url.startsWith('blob:') ? next.url : null;
    setShown(next);
    if (old && old !== onScreen.current) setTimeout(() => URL.revokeObjectURL(old), 5_000);
  }, []);
  useEffect(
    () => () => {
      if (onScreen.current) URL.revokeObjectURL(onScreen.current);
    },
    [],
  );

  const paused = edit.editing === true;
  useEffect(() => {
    if (paused) return;
    if (!query) {
      show({ query: '', url: previewUrl });
      setError(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        // The server draws the saved edit: strokes still waiting to be saved go first (a failed
        // save draws what the server has, under a URL it answers uncached).
        await flush.current().catch(() => undefined);
        if (controller.signal.aborted) return;
        const res = await fetch(`${previewUrl}?${query}`, { signal: controller.signal });
        if (!res.ok) {
          const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
          throw new Error(body?.error?.message ?? 'The shadow could not be drawn. Please try again.');
        }
        const blob = await res.blob();
        if (controller.signal.aborted) return;
        show({ query, url: URL.createObjectURL(blob) });
        setError(null);
      } catch (err) {
        if (controller.signal.aborted) return;
        setError(err instanceof Error ? err.message : 'The shadow could not be drawn. Please try again.');
      }
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [previewUrl, query, paused, show]);

  return { url: shown.url, loading: shown.query !== query && !error, error };
}
