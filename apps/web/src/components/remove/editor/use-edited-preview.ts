'use client';
/**
 * The edited cut-out as an image address for the before/after view, drawn in the browser from the
 * editor's raster (the preview's size, no request): the "after" side then shows what the HD
 * download will be once the editor is closed, and after a reload. Null while there is no edit.
 */
import { useEffect, useState } from 'react';
import type { Stroke } from '@bgr/strokes';
import type { EditRaster } from './edit-raster';

export function useEditedPreview(raster: EditRaster | null, strokes: readonly Stroke[], active: boolean) {
  const [url, setUrl] = useState<string | null>(null);

  useEffect(() => {
    if (!active || !raster || strokes.length === 0) {
      setUrl(null);
      return;
    }
    raster.sync(strokes);
    const canvas = document.createElement('canvas');
    canvas.width = raster.width;
    canvas.height = raster.height;
    canvas.getContext('2d')?.putImageData(new ImageData(raster.rgba, raster.width, raster.height), 0, 0);
    let made: string | null = null;
    let cancelled = false;
    canvas.toBlob((blob) => {
      if (!blob || cancelled) return;
      made = URL.createObjectURL(blob);
      setUrl(made);
    }, 'image/png');
    return () => {
      cancelled = true;
      // Revoked once the next picture has replaced it on screen.
      if (made) {
        const stale = made;
        setTimeout(() => URL.revokeObjectURL(stale), 5_000);
      }
    };
  }, [raster, strokes, active]);

  return url;
}
