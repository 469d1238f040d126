/**
 * Reads a request body in any of the three encodings remove.bg accepts (multipart/form-data,
 * application/x-www-form-urlencoded, application/json) into one flat map of set fields.
 * "Not set" is decided here once: empty strings, empty file parts and JSON nulls are dropped.
 */
import { BODY_LIMITS, BodyTooLargeError, readLimitedBody } from '../body-limit';
import { ApiError } from './errors';

export interface FilePart {
  kind: 'file';
  bytes: Uint8Array;
  filename: string;
  type: string;
}

export type FieldValue = string | FilePart;
export type Fields = Map<string, FieldValue>;

/** remove.bg's code for an oversized upload, answered 413 here: the body itself is over its cap. */
function tooLarge(err: BodyTooLargeError): ApiError {
  return Object.assign(new ApiError('file_too_large', err.message), { status: 413 });
}

/** Reads the body through the one capped reader; over the cap, 413 `file_too_large`. */
async function readCapped(req: Request, limitBytes: number): Promise<Uint8Array> {
  try {
    return await readLimitedBody(req, limitBytes);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw tooLarge(err);
    throw err;
  }
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
    const headers = new Headers({ 'content-type': req.headers.get('content-type') ?? '' });
    form = await new Response(body as Uint8Array<ArrayBuffer>, { headers }).formData();
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

/** Parses the request body (at most the endpoint's cap in BODY_LIMITS) into its set fields. */
export async function readFields(req: Request, endpoint: 'removebg' | 'improve'): Promise<Fields> {
  const type = mediaType(req);
  const body = await readCapped(req, BODY_LIMITS[endpoint]);
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
