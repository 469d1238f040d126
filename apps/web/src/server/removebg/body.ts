/**
 * Reads a request body in any of the three encodings remove.bg accepts (multipart/form-data,
 * application/x-www-form-urlencoded, application/json) into one flat map of set fields.
 * "Not set" is decided here once: empty strings, empty file parts and JSON nulls are dropped.
 */
import { MAX_UPLOAD_BYTES } from '@bgr/inference/options';
import { ApiError } from './errors';

export interface FilePart {
  kind: 'file';
  bytes: Uint8Array;
  filename: string;
  type: string;
}

export type FieldValue = string | FilePart;
export type Fields = Map<string, FieldValue>;

/**
 * The largest body read: a 22 MB image as base64 (×4/3) in a url-encoded form, where `+` and `/`
 * are percent-encoded (about +6 %), still fits; multipart overhead is far smaller.
 */
export const MAX_BODY_BYTES = Math.ceil(MAX_UPLOAD_BYTES * 1.5);

function tooLarge(): ApiError {
  return new ApiError('file_too_large', `The request body is larger than the ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB upload limit allows.`);
}

/** Reads the body, refusing it as soon as it passes the limit (no unbounded buffering). */
async function readCapped(req: Request): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

export function mediaType(req: Request): string {
  return (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function setString(fields: Fields, name: string, value: string): void {
  if (value === '' || fields.has(name)) return;
  fields.set(name, value);
}

async function fromFormData(req: Request, body: Uint8Array): Promise<Fields> {
  let form: FormData;
  try {
    form = await new Request(req.url, { method: 'POST', headers: req.headers, body: body as Uint8Array<ArrayBuffer> }).formData();
  } catch {
    throw new ApiError('invalid_request', 'The form data in the request body could not be parsed.');
  }
  const fields: Fields = new Map();
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      setString(fields, name, value);
    } else if (value.size > 0 && !fields.has(name)) {
      fields.set(name, {
        kind: 'file',
        bytes: new Uint8Array(await value.arrayBuffer()),
        filename: value.name,
        type: value.type,
      });
    }
  }
  return fields;
}

function fromJson(body: Uint8Array): Fields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new ApiError('invalid_request', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError('invalid_request', 'The JSON request body must be an object of parameters.');
  }
  const fields: Fields = new Map();
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string') setString(fields, name, value);
    else if (typeof value === 'boolean' || typeof value === 'number') setString(fields, name, String(value));
    // null means "not set"; objects and arrays are not parameters remove.bg knows: ignored.
  }
  return fields;
}

/** Parses the request body into its set fields. */
export async function readFields(req: Request): Promise<Fields> {
  const type = mediaType(req);
  const body = await readCapped(req);
  if (body.byteLength === 0) return new Map();
  if (type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded') {
    return fromFormData(req, body);
  }
  if (type === 'application/json' || type.endsWith('+json')) return fromJson(body);
  throw new ApiError(
    'invalid_request',
    'Send the parameters as multipart/form-data, application/x-www-form-urlencoded or application/json.',
  );
}
