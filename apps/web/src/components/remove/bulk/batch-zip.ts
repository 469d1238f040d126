/**
 * The browser side of "Download all in HD": POST the image ids, read the streamed ZIP while it
 * arrives (fflate's streaming Unzip names each finished entry, which drives the progress bar),
 * keep its bytes for the file the person saves, and read the failed.txt entry (why an image was
 * left out). A refusal before the ZIP starts is a sentence; a 429 carries Retry-After.
 */
import { Unzip, UnzipPassThrough } from 'fflate';
import { FAILED_ENTRY } from '~/lib/batch';

export class BatchZipError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'BatchZipError';
  }
}

export type BatchZip = { blob: Blob; filename: string; failed: string[] };

/** Reads a ZIP stream: calls `onEntry` with each image entry's name as it arrives; returns the bytes and failures. */
export async function readBatchZip(
  body: ReadableStream<Uint8Array>,
  onEntry: (name: string) => void,
): Promise<{ chunks: Uint8Array[]; failed: string[] }> {
  const chunks: Uint8Array[] = [];
  const failedBytes: Uint8Array[] = [];
  const unzip = new Unzip((file) => {
    if (file.name !== FAILED_ENTRY) {
      onEntry(file.name);
      return;
    }
    file.ondata = (err, data) => {
      if (!err && data.length) failedBytes.push(data);
    };
    file.start();
  });
  unzip.register(UnzipPassThrough);
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    // The archive's bytes are what the person gets; progress reading must never break the download.
    try {
      unzip.push(value);
    } catch {
      /* ignored: only the progress bar would be off */
    }
  }
  try {
    unzip.push(new Uint8Array(0), true);
  } catch {
    /* ignored, as above */
  }
  const text = new TextDecoder().decode(concat(failedBytes));
  return { chunks, failed: text.split('\n').filter((line) => line.trim() !== '') };
}

export async function fetchBatchZip(imageIds: string[], onEntry: (name: string) => void): Promise<BatchZip> {
  let res: Response;
  try {
    res = await fetch('/api/batches/download', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ imageIds }),
    });
  } catch {
    throw new BatchZipError('The download failed: the server could not be reached. Please check your connection.', 0);
  }
  if (!res.ok || !res.body) {
    const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    const retry = Number(res.headers.get('retry-after'));
    throw new BatchZipError(
      json?.error?.message ?? 'The download failed. Please try again.',
      res.status,
      res.status === 429 && Number.isFinite(retry) ? retry : null,
    );
  }
  let read: Awaited<ReturnType<typeof readBatchZip>>;
  try {
    read = await readBatchZip(res.body, onEntry);
  } catch {
    throw new BatchZipError(
      'The download was interrupted. Images already charged download again for free; please try again.',
      0,
    );
  }
  const { chunks, failed } = read;
  const disposition = res.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'no-bg-images.zip';
  return { blob: new Blob(chunks as BlobPart[], { type: 'application/zip' }), filename, failed };
}

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
