/** Browser-side upload with progress (fetch cannot report upload progress; XHR can). */
import type { ImageView } from '~/server/images/view';
import { FILE_TOO_LARGE_SENTENCE } from '~/lib/upload-limit';

export type UploadedImage = Omit<ImageView, 'createdAt'> & { createdAt: string | Date };

export class UploadError extends Error {
  constructor(
    message: string,
    /** The HTTP status (0: the server was not reached). */
    readonly status = 0,
    /** On 429: how long the server asks us to wait before trying again. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export function uploadImage(
  body: FormData | { url: string },
  onProgress: (fraction: number) => void,
): Promise<UploadedImage> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/images');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => {
      const json = xhr.response as { image?: UploadedImage; error?: { message?: string } } | null;
      if (xhr.status >= 200 && xhr.status < 300 && json?.image) resolve(json.image);
      else if (xhr.status === 413) reject(new UploadError(FILE_TOO_LARGE_SENTENCE));
      else
        reject(
          new UploadError(
            json?.error?.message ?? 'The upload failed. Please try again.',
            xhr.status,
            retryAfterSeconds(xhr.getResponseHeader('retry-after')),
          ),
        );
    };
    xhr.onerror = () =>
      reject(new UploadError('The upload failed: the server could not be reached. Please check your connection.'));
    if (body instanceof FormData) {
      xhr.send(body);
    } else {
      xhr.setRequestHeader('content-type', 'application/json');
      xhr.send(JSON.stringify(body));
    }
  });
}

function retryAfterSeconds(header: string | null): number | null {
  const n = header === null ? Number.NaN : Number(header);
  return Number.isFinite(n) && n >= 0 ? n : null;
}
