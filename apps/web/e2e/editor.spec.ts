/**
 * Fixing a cut-out by hand: upload a photo, open the editor, erase a band across the subject with
 * the mouse, undo (the band comes back on the canvas), redo, reload (the edit is still there, in
 * the before/after view and in the editor), then download HD: the band is transparent in the
 * downloaded PNG while the subject away from it is still opaque. Screenshots of the editor at
 * desktop and phone width.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { adminCreatesUser, e2eState, shot, signIn } from './support/helpers';

test.describe.configure({ mode: 'serial' });

const run = Date.now().toString(36);
const editorUser = { email: `editor-${run}@e2e.test`, password: 'editor-password-e2e' };

/*
 * The fixture (e2e/support/seed.ts) is 640×480: a head (circle at 320,110, r 65) over a body
 * (rounded rectangle x 234..406, y 182..427) on a gradient. The stroke runs across the body at
 * y 330 from x 270 to 370, with a brush about 34 px across (size 50) and a 30 % soft edge, so its
 * hard core reaches at least 11 px either side of the line.
 */
const PHOTO = { w: 640, h: 480 };
const STROKE = { y: 330, x0: 270, x1: 370 };
const ERASED = { x: 320, y: 330 };
const AWAY = [
  { x: 320, y: 250 },
  { x: 320, y: 110 },
];

/** The canvas's alpha at a point of the photo (the canvas is the preview's size). */
function canvasAlpha(canvas: Locator, p: { x: number; y: number }): Promise<number> {
  return canvas.evaluate(
    (el: HTMLCanvasElement, q) => {
      const ctx = el.getContext('2d')!;
      const x = Math.floor((q.x / q.w) * el.width);
      const y = Math.floor((q.y / q.h) * el.height);
      return ctx.getImageData(x, y, 1, 1).data[3]!;
    },
    { ...p, ...PHOTO },
  );
}

/** The same on the before/after view's "after" picture. */
function previewAlpha(page: Page, p: { x: number; y: number }): Promise<number> {
  return page.getByTestId('preview-image').evaluate(
    async (img: HTMLImageElement, q) => {
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      return ctx.getImageData(Math.floor((q.x / q.w) * c.width), Math.floor((q.y / q.h) * c.height), 1, 1).data[3]!;
    },
    { ...p, ...PHOTO },
  );
}

/** A drag with the mouse between two points of the photo, on the canvas as it is laid out now. */
async function drag(page: Page, canvas: Locator, from: { x: number; y: number }, to: { x: number; y: number }) {
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const at = (p: { x: number; y: number }) => ({
    x: box.x + (p.x / PHOTO.w) * box.width,
    y: box.y + (p.y / PHOTO.h) * box.height,
  });
  const a = at(from);
  const b = at(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 25 });
  await page.mouse.up();
}

test('the admin creates the editor user with 2 credits', async ({ page }) => {
  await adminCreatesUser(page, editorUser, 2, `editor story ${run}`);
});

test('erase by hand, undo, redo, reload, and the HD download has the edit', async ({ page }) => {
  const { fixtures } = e2eState();
  await signIn(page, editorUser);
  await page.getByTestId('file-input').setInputFiles(fixtures.photo);
  const preview = page.getByTestId('preview-image');
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.getByTestId('edit-note')).toContainText('by hand, for free');

  // Open the editor: the model's own cut-out, nothing to undo.
  await page.getByTestId('open-editor').click();
  const editor = page.getByTestId('editor');
  const canvas = editor.getByTestId('editor-canvas');
  await expect(canvas).toBeVisible();
  await expect(editor.getByTestId('editor-save-status')).toHaveText('No edits yet: this is the automatic cut-out.');
  await expect(editor.getByRole('button', { name: 'Undo' })).toBeDisabled();
  const before = await canvasAlpha(canvas, ERASED);
  expect(before).toBeGreaterThan(200);
  const away = await Promise.all(AWAY.map((p) => canvasAlpha(canvas, p)));
  for (const a of away) expect(a).toBeGreaterThan(200);

  // Erase a band across the body with the mouse.
  await editor.getByRole('radio', { name: 'Erase' }).click();
  await editor.getByLabel('Size').fill('50');
  await expect(editor.getByLabel('Soft edge')).toHaveValue('30');
  await drag(page, canvas, { x: STROKE.x0, y: STROKE.y }, { x: STROKE.x1, y: STROKE.y });
  await expect.poll(() => canvasAlpha(canvas, ERASED)).toBe(0);
  expect(await Promise.all(AWAY.map((p) => canvasAlpha(canvas, p)))).toEqual(away);
  await expect(editor.getByTestId('editor-save-status')).toHaveText('All changes saved.');

  // Undo (button): the band comes back; redo (keyboard): it goes again; and the other way round.
  await editor.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => canvasAlpha(canvas, ERASED)).toBe(before);
  await expect(editor.getByRole('button', { name: 'Undo' })).toBeDisabled();
  await page.keyboard.press('Shift+Control+z');
  await expect.poll(() => canvasAlpha(canvas, ERASED)).toBe(0);
  await page.keyboard.press('Control+z');
  await expect.poll(() => canvasAlpha(canvas, ERASED)).toBe(before);
  await editor.getByRole('button', { name: 'Redo' }).click();
  await expect.poll(() => canvasAlpha(canvas, ERASED)).toBe(0);
  await expect(editor.getByRole('button', { name: 'Redo' })).toBeDisabled();
  await expect(editor.getByTestId('editor-save-status')).toHaveText('All changes saved.');

  // Zoom in at the centre and back: the picture is the same.
  await editor.getByRole('button', { name: 'Zoom in' }).click();
  await expect(editor.getByTestId('editor-zoom')).toHaveText('150%');
  await editor.getByRole('button', { name: 'Fit' }).click();
  await expect(editor.getByTestId('editor-zoom')).toHaveText('100%');
  await shot(page, 'editor-desktop');

  // Reload: the edit was saved with the image.
  await page.reload();
  await expect(page.getByText('Loading your recent images…')).toHaveCount(0);
  await page.getByRole('button', { name: 'Open portrait.jpg' }).first().click();
  await expect(page.getByTestId('edit-note')).toHaveText('Edited by hand: your strokes are saved with the image.');
  await expect(preview).toHaveAttribute('src', /^blob:/);
  await expect.poll(() => previewAlpha(page, ERASED)).toBe(0);
  await expect.poll(() => previewAlpha(page, AWAY[0]!)).toBeGreaterThan(200);
  await page.getByTestId('open-editor').click();
  await expect(canvas).toBeVisible();
  await expect.poll(() => canvasAlpha(canvas, ERASED)).toBe(0);
  await expect(editor.getByRole('button', { name: 'Undo' })).toBeEnabled();
  await expect(editor.getByTestId('editor-save-status')).toHaveText('All changes saved.');

  // At phone width the toolbar wraps and the canvas fits.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(async () => (await canvas.boundingBox())!.width).toBeLessThanOrEqual(390);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(390);
  await shot(page, 'editor-phone');
  await page.setViewportSize({ width: 1280, height: 860 });

  await editor.getByTestId('editor-done').click();
  await expect(editor).toHaveCount(0);

  // HD: 1 credit, with the edit.
  await expect(page.getByTestId('hd-note')).toHaveText(
    'Full resolution with your edits for 1 credit. Editing and the preview are free.',
  );
  await page.getByTestId('open-hd').click();
  const dialog = page.getByRole('dialog', { name: 'Download HD' });
  await expect(dialog.getByTestId('hd-edited')).toContainText('Your hand edits are applied at full resolution');
  await expect(dialog.getByTestId('hd-cost')).toHaveText('1 credit');
  const downloadPromise = page.waitForEvent('download');
  await dialog.getByTestId('confirm-hd').click();
  const download = await downloadPromise;
  const bytes = readFileSync(await download.path());
  await expect(dialog.getByRole('status').filter({ hasText: 'download has started' })).toContainText(
    '1 credit was charged',
  );
  await expect(page.getByTestId('header-balance')).toHaveText('1 credit');

  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height]).toEqual([PHOTO.w, PHOTO.h]);
  const alphaAt = (x: number, y: number) => data[(y * info.width + x) * info.channels + 3]!;
  // The stroke's hard core: every pixel transparent.
  for (let y = STROKE.y - 8; y <= STROKE.y + 8; y++) {
    for (let x = STROKE.x0 + 10; x <= STROKE.x1 - 10; x++) expect(alphaAt(x, y), `alpha at ${x},${y}`).toBe(0);
  }
  // Away from it the subject is whole: opaque, in the photo's colours.
  for (const p of AWAY) expect(alphaAt(p.x, p.y), `alpha at ${p.x},${p.y}`).toBe(255);
  const body = (AWAY[0]!.y * info.width + AWAY[0]!.x) * info.channels;
  // #2b3f73, the body's colour in the fixture (JPEG: within a few levels).
  expect(Math.abs(data[body]! - 0x2b)).toBeLessThan(12);
  expect(Math.abs(data[body + 1]! - 0x3f)).toBeLessThan(12);
  expect(Math.abs(data[body + 2]! - 0x73)).toBeLessThan(12);
});
