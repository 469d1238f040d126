// The stored form of a person's brush edits on one image, and its validation. Coordinates are
// normalised (x to the width, y to the height) and the brush radius is a fraction of the image's
// longer side, so one document paints the same places on the preview and on the full-size image.
// Caps keep a document small to store and bounded to paint; refusals are sentences for people.
import { z } from 'zod';
import { paintArea } from './simplify';

export const MAX_STROKES = 2000;
export const MAX_STROKE_POINTS = 2000;
export const MAX_EDIT_BYTES = 256 * 1024;
export const MIN_RADIUS = 0.0005;
export const MAX_RADIUS = 0.25;
/**
 * The most a document may paint, summed over its strokes' segments after simplification, in squares of
 * the image's longer side (one segment paints 2·r·length + π·r²). Painting costs time in proportion to
 * it, so it bounds the work of an HD render; ordinary editing stays far below it.
 */
export const MAX_PAINT_AREA = 50;

export type StrokeMode = 'erase' | 'restore';

export const strokeSchema = z.object({
  mode: z.enum(['erase', 'restore'], { error: 'the mode must be "erase" or "restore"' }),
  radius: z
    .number({ error: 'the radius must be a number' })
    .min(MIN_RADIUS, { error: `the radius must be at least ${MIN_RADIUS} of the image's longer side` })
    .max(MAX_RADIUS, { error: `the radius must be at most ${MAX_RADIUS} of the image's longer side` }),
  softness: z
    .number({ error: 'the softness must be a number' })
    .min(0, { error: 'the softness must be between 0 and 1' })
    .max(1, { error: 'the softness must be between 0 and 1' }),
  points: z
    .array(
      z
        .number({ error: 'every coordinate must be a number' })
        .min(0, { error: 'every coordinate must be between 0 and 1' })
        .max(1, { error: 'every coordinate must be between 0 and 1' }),
      { error: 'the points must be a list of numbers' },
    )
    .min(2, { error: 'a stroke needs at least one point' })
    .max(MAX_STROKE_POINTS * 2, {
      error: `a stroke may hold at most ${MAX_STROKE_POINTS.toLocaleString('en-US')} points`,
    })
    .refine((p) => p.length % 2 === 0, { error: 'the points must come in x, y pairs' }),
});

export const editDocumentSchema = z.object({
  version: z.literal(1, { error: 'the version must be 1' }),
  strokes: z.array(strokeSchema, { error: 'the strokes must be a list' }).max(MAX_STROKES),
});

export type Stroke = z.infer<typeof strokeSchema>;
export type EditDocument = z.infer<typeof editDocumentSchema>;

export type ParsedEdit = { ok: true; document: EditDocument } | { ok: false; error: string };

const count = (n: number) => n.toLocaleString('en-US');

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Validates an edit document: the document itself (unknown keys dropped) or one sentence saying what is wrong. */
export function parseEditDocument(input: unknown): ParsedEdit {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, error: 'An edit must be an object with a version and a list of strokes.' };
  }
  const strokes = (input as { strokes?: unknown }).strokes;
  if (Array.isArray(strokes) && strokes.length > MAX_STROKES) {
    return {
      ok: false,
      error: `An edit may hold at most ${count(MAX_STROKES)} strokes; this one has ${count(strokes.length)}.`,
    };
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(input);
  } catch {
    return { ok: false, error: 'An edit must be plain JSON.' };
  }
  const bytes = utf8Bytes(json ?? '');
  if (bytes > MAX_EDIT_BYTES) {
    return {
      ok: false,
      error: `An edit may be at most ${count(MAX_EDIT_BYTES / 1024)} KB; this one is ${count(Math.ceil(bytes / 1024))} KB.`,
    };
  }
  const parsed = editDocumentSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const message = issue?.message ?? 'it is not a valid edit';
    if (path[0] === 'strokes' && typeof path[1] === 'number') {
      return { ok: false, error: `Stroke ${count(path[1] + 1)} of the edit is not valid: ${message}.` };
    }
    return { ok: false, error: `The edit is not valid: ${message}.` };
  }
  const area = paintArea(parsed.data);
  if (area > MAX_PAINT_AREA) {
    return {
      ok: false,
      error: `An edit may paint over the image at most ${MAX_PAINT_AREA} times in all; this one paints over it ${count(Math.ceil(area))} times. Use fewer or smaller strokes.`,
    };
  }
  return { ok: true, document: parsed.data };
}
