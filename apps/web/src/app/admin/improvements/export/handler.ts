/**
 * GET /admin/improvements/export's handling, apart from Next's request context so it can be
 * tested with a real database and storage: admins only (checked here, not by the page), an
 * optional date range (?from=YYYY-MM-DD&to=YYYY-MM-DD, whole UTC days; a bad one is refused with
 * a sentence, 400 — or, for a browser that came from the page's form, a redirect back to the page
 * with the dates, where the form says the same sentence), then the ZIP of export.ts within its caps.
 */
import type { Db } from '@bgr/db/client';
import { parseDayRange } from '~/lib/day-range';
import type { BlobStorage } from '~/server/storage';
import { exportImprovements } from './export';

export type ImprovementsExportDeps = {
  db: Db;
  storage: BlobStorage;
  currentUser(): Promise<{ id: string; role: string } | null>;
  /** The caps; tests set small ones. */
  maxFiles?: number;
  maxBytes?: number;
};

export async function handleImprovementsExport(req: Request, deps: ImprovementsExportDeps): Promise<Response> {
  const user = await deps.currentUser();
  if (!user) return Response.json({ error: 'Please sign in to continue.' }, { status: 401 });
  if (user.role !== 'admin')
    return Response.json({ error: 'Only administrators can export improvement images.' }, { status: 403 });
  const params = new URL(req.url).searchParams;
  const parsed = parseDayRange({ from: params.get('from'), to: params.get('to') });
  if (!parsed.ok) return wantsPage(req) ? backToPage(params) : Response.json({ error: parsed.error }, { status: 400 });
  const { range } = parsed;

  const { body, countNote } = await exportImprovements({
    db: deps.db,
    storage: deps.storage,
    actorId: user.id,
    range,
    maxFiles: deps.maxFiles,
    maxBytes: deps.maxBytes,
  });
  const stamp = new Date().toISOString().slice(0, 10);
  // The days it covers, when a range was chosen (improvement-images-2026-10-01-to-2026-10-31.zip).
  const days = range.from || range.to ? `${range.from ?? 'start'}-to-${range.to ?? stamp}` : stamp;
  return new Response(body, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="improvement-images-${days}.zip"`,
      'cache-control': 'no-store',
      // The count cap is known before the first byte (the size cap only at the end: export-note.txt).
      ...(countNote ? { 'x-export-note': countNote } : {}),
    },
  });
}

/** A browser navigating here (its form's Download), not a script: it asks for a page. */
function wantsPage(req: Request): boolean {
  return (req.headers.get('accept') ?? '').includes('text/html');
}

/** 303 to the improvements page with the dates as given, so it shows them and the sentence (not bare JSON). */
function backToPage(params: URLSearchParams): Response {
  const back = new URLSearchParams();
  for (const key of ['from', 'to']) {
    const value = params.get(key);
    if (value) back.set(key, value);
  }
  const query = back.toString();
  return new Response(null, {
    status: 303,
    headers: { location: `/admin/improvements${query ? `?${query}` : ''}`, 'cache-control': 'no-store' },
  });
}
