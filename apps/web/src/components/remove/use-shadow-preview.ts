'use client';
import { useEffect, useState } from 'react';
import { shadowQuery, type ShadowChoice } from '~/lib/shadow';

/**
 * The preview to show for a shadow choice: the stored plain preview, or the same preview drawn
 * again with the shadow (fetched once the choice has been still for a moment, so dragging the
 * opacity slider asks for one render, not twenty). Until it arrives the last one stays on screen.
 */
export function useShadowPreview(previewUrl: string, shadow: ShadowChoice | null) {
  const query = shadowQuery(shadow);
  const [shown, setShown] = useState<{ query: string; url: string }>({ query: '', url: previewUrl });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!query) {
      setShown({ query: '', url: previewUrl });
      setError(null);
      return;
    }
    const controller = new AbortController();
    let objectUrl: string | null = null;
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`${previewUrl}?${query}`, { signal: controller.signal });
        if (!res.ok) {
          const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
          throw new Error(body?.error?.message ?? 'The shadow could not be drawn. Please try again.');
        }
        objectUrl = URL.createObjectURL(await res.blob());
        setShown({ query, url: objectUrl });
        setError(null);
      } catch (err) {
        if (controller.signal.aborted) return;
        setError(err instanceof Error ? err.message : 'The shadow could not be drawn. Please try again.');
      }
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
      // Revoked after the next preview has replaced it on screen.
      if (objectUrl) {
        const stale = objectUrl;
        setTimeout(() => URL.revokeObjectURL(stale), 5_000);
      }
    };
  }, [previewUrl, query]);

  return { url: shown.url, loading: shown.query !== query && !error, error };
}
