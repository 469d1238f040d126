/**
 * Shadows on the remove page: upload a photo, turn on a drop shadow and see the free preview drawn
 * again with it, then download it in HD — the file carries the shadow — and download the same
 * image again without one, for free.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { expect, test, type Page } from '@playwright/test';
import { adminCreatesUser, e2eState, shot, signIn } from './support/helpers';

/** Dark, partly transparent pixels: a shadow on transparency. */
async function darkPartial(bytes: Buffer): Promise<number> {
  const { data } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let o = 0; o < data.length; o += 4) {
    const a = data[o + 3]!;
    if (a > 0 && a < 255 && data[o]! < 40 && data[o + 1]! < 40 && data[o + 2]! < 40) n++;
  }
  return n;
}

/** The same count on the preview the page shows (drawn to a canvas in the browser). */
function previewDarkPartial(page: Page): Promise<number> {
  return page.getByTestId('preview-image').evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let o = 0; o < d.length; o += 4) {
      const a = d[o + 3]!;
      if (a > 0 && a < 255 && d[o]! < 40 && d[o + 1]! < 40 && d[o + 2]! < 40) n++;
    }
    return n;
  });
}

async function downloadHd(page: Page): Promise<{ bytes: Buffer; name: string }> {
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('confirm-hd').click();
  const download = await downloadPromise;
  return { bytes: readFileSync(await download.path()), name: download.suggestedFilename() };
}

test.describe.configure({ mode: 'serial' });

const run = Date.now().toString(36);
const shadowUser = { email: `shadow-${run}@e2e.test`, password: 'shadow-password-e2e' };

// Its own user with 2 credits: the main journey spends the seeded user's credits before this runs.
test('the admin creates the shadow user with 2 credits', async ({ page }) => {
  await adminCreatesUser(page, shadowUser, 2, `shadow story ${run}`);
});

test('a drop shadow on the free preview, then in the HD download', async ({ page }) => {
  const { fixtures } = e2eState();
  await signIn(page, shadowUser);
  await page.getByTestId('file-input').setInputFiles(fixtures.photo);
  const preview = page.getByTestId('preview-image');
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const plain = await previewDarkPartial(page);
  const plainSrc = await preview.getAttribute('src');

  // Drop shadow: the preview is drawn again with it, free.
  const shadow = page.getByRole('radiogroup', { name: 'Shadow' });
  await shadow.getByRole('radio', { name: 'Drop' }).click();
  await expect(shadow.getByRole('radio', { name: 'Drop' })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByLabel('Opacity')).toHaveValue('50');
  await page.getByLabel('Opacity').fill('80');
  await expect(preview).not.toHaveAttribute('src', plainSrc ?? '');
  await expect.poll(() => previewDarkPartial(page)).toBeGreaterThan(plain + 100);
  await expect(page.getByTestId('header-balance')).toHaveText('2 credits');
  await shot(page, 'shadow-01-preview-drop');

  // HD with the same shadow, for 1 credit.
  await page.getByTestId('open-hd').click();
  const dialog = page.getByRole('dialog', { name: 'Download HD' });
  await expect(dialog.getByTestId('hd-shadow')).toContainText('drop shadow');
  await expect(dialog.getByTestId('hd-shadow')).toContainText('80%');
  const withShadow = await downloadHd(page);
  expect(withShadow.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  await expect(dialog.getByRole('status').filter({ hasText: 'download has started' })).toContainText(
    '1 credit was charged',
  );
  await shot(page, 'shadow-02-hd-charged', { fullPage: false });
  await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();

  // The same image without a shadow: free, and its file has no shadow.
  await shadow.getByRole('radio', { name: 'None' }).click();
  await page.getByTestId('open-hd').click();
  await expect(dialog.getByTestId('hd-cost')).toHaveText('Free (already paid)');
  const without = await downloadHd(page);
  await expect(dialog.getByRole('status').filter({ hasText: 'download has started' })).toContainText(
    'Nothing was charged',
  );
  await expect(page.getByTestId('header-balance')).toHaveText('1 credit');

  const meta = await sharp(withShadow.bytes).metadata();
  expect([meta.width, meta.height]).toEqual([640, 480]);
  expect(await darkPartial(withShadow.bytes)).toBeGreaterThan((await darkPartial(without.bytes)) + 500);
});
