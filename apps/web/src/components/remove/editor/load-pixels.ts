/**
 * The pixels the editor paints with, at the preview's size, from what the browser already has:
 * the stored preview cut-out (its alpha is the model's mask) and the uploaded original (the
 * colours a restored area shows again), which the browser scales down itself — no extra route and
 * no model run. Colours blend from the preview's (cleaned edges, where the model kept the subject)
 * to the original's (where it removed it), so an erased edge looks as the preview did and a
 * restored area shows the photo as taken.
 */

export type EditorPixels = {
  width: number;
  height: number;
  /** The colours to show, alpha filled with the model's mask. */
  rgba: Uint8ClampedArray;
  /** The model's mask, one byte a pixel: what every recomputation starts from. */
  modelAlpha: Uint8Array;
};

async function fetchBlob(url: string, signal: AbortSignal, what: string): Promise<Blob> {
  const res = await fetch(url, { signal });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The ${what} could not be loaded. Please try again.`);
  }
  return res.blob();
}

function readPixels(bitmap: ImageBitmap, width: number, height: number): Uint8ClampedArray {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This browser cannot draw the editor. Please try another browser.');
  ctx.drawImage(bitmap, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height).data;
}

export async function loadEditorPixels(
  previewUrl: string,
  originalUrl: string,
  signal: AbortSignal,
): Promise<EditorPixels> {
  const [previewBlob, originalBlob] = await Promise.all([
    fetchBlob(previewUrl, signal, 'preview'),
    fetchBlob(originalUrl, signal, 'original image'),
  ]);
  const preview = await createImageBitmap(previewBlob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  const { width, height } = preview;
  const original = await createImageBitmap(originalBlob, {
    resizeWidth: width,
    resizeHeight: height,
    resizeQuality: 'high',
    imageOrientation: 'from-image',
  });
  const cut = readPixels(preview, width, height);
  const photo = readPixels(original, width, height);
  preview.close();
  original.close();

  const rgba = new Uint8ClampedArray(width * height * 4);
  const modelAlpha = new Uint8Array(width * height);
  for (let i = 0, o = 0; i < modelAlpha.length; i++, o += 4) {
    const a = cut[o + 3]!;
    const t = a / 255;
    rgba[o] = photo[o]! + (cut[o]! - photo[o]!) * t;
    rgba[o + 1] = photo[o + 1]! + (cut[o + 1]! - photo[o + 1]!) * t;
    rgba[o + 2] = photo[o + 2]! + (cut[o + 2]! - photo[o + 2]!) * t;
    rgba[o + 3] = a;
    modelAlpha[i] = a;
  }
  return { width, height, rgba, modelAlpha };
}
