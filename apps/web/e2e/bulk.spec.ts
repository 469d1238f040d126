/**
 * The bulk story: five photos dropped at once upload with their free previews; "Download all in
 * HD" shows 5 credits against the balance, charges exactly that and saves one ZIP of five PNGs at
 * the photos' own sizes; the recent list shows the batch as a group whose second download is free.
 * Uses its own user (created and given 10 credits by the admin), so the main journey's 2 credits
 * are untouched.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { adminCreatesUser, shot, signIn } from './support/helpers';

test.describe.configure({ mode: 'serial' });

const run = Date.now().toString(36);
const bulkUser = { email: `bulk-${run}@e2e.test`, password: 'bulk-password-e2e' };

const SIZES = [
  { width: 320, height: 240 },
  { width: 240, height: 320 },
  { width: 400, height: 300 },
  { width: 300, height: 200 },
  { width: 256, height: 256 },
];
const HUES = ['#8fb8de', '#b6d7a8', '#e6b8af', '#ffe599', '#b4a7d6'];

/** A small synthetic photo: a figure in front of a gradient (as the seed's fixtures). */
function photo(i: number): Promise<Buffer> {
  const { width, height } = SIZES[i]!;
  const r = Math.min(width, height) * 0.3;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${HUES[i]}"/><stop offset="1" stop-color="#f2efe4"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width / 2}" cy="${height / 2 - r * 0.9}" r="${r * 0.45}" fill="#c98b6b"/>
    <rect x="${width / 2 - r * 0.6}" y="${height / 2 - r * 0.4}" width="${r * 1.2}" height="${r * 1.7}" rx="${r * 0.3}" fill="#2b3f73"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

async function dropFiles(page: Page, files: { name: string; bytes: Buffer }[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: 'image/jpeg' }));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })),
  );
  await page.getByRole('button', { name: /Upload an image/ }).dispatchEvent('drop', { dataTransfer });
}

async function saveZip(page: Page, dialog: ReturnType<Page['getByRole']>) {
  const downloadPromise = page.waitForEvent('download', { timeout: 300_000 });
  await dialog.getByTestId('confirm-batch-hd').click();
  const download = await downloadPromise;
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  return { name: download.suggestedFilename(), zip };
}

/**
 * The ZIP holds photo-1…5 as PNGs of their own sizes. Its order is not asserted: the first ZIP follows
 * the page's order, a batch downloaded again follows the order the uploads finished (3 run at once).
 */
async function expectFivePngs(zip: Record<string, Uint8Array>): Promise<void> {
  const names = Object.keys(zip).sort();
  expect(names).toEqual([
    'photo-1-no-bg.png',
    'photo-2-no-bg.png',
    'photo-3-no-bg.png',
    'photo-4-no-bg.png',
    'photo-5-no-bg.png',
  ]);
  for (const [i, name] of names.entries()) {
    const meta = await sharp(Buffer.from(zip[name]!)).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height, alpha: meta.hasAlpha }).toEqual({
      format: 'png',
      ...SIZES[i],
      alpha: true,
    });
  }
}

test('the admin creates the bulk user with 10 credits', async ({ page }) => {
  await adminCreatesUser(page, bulkUser, 10, `bulk story ${run}`);
});

test('5 photos dropped → 5 previews → Download all in HD for 5 credits → one ZIP of 5 PNGs → again free', async ({
  page,
}) => {
  // Five previews and five full-size renders on the CPU of a busy machine.
  test.setTimeout(900_000);
  const balance = page.getByTestId('header-balance');
  await signIn(page, bulkUser);
  await expect(balance).toHaveText('10 credits');

  const files = await Promise.all(SIZES.map(async (_, i) => ({ name: `photo-${i + 1}.jpg`, bytes: await photo(i) })));
  await dropFiles(page, files);

  // The queue: five files, each with its free preview as it arrives.
  const queue = page.getByTestId('bulk-queue');
  await expect(queue.getByTestId('bulk-item')).toHaveCount(5);
  const previews = queue.getByTestId('bulk-preview');
  await expect(previews).toHaveCount(5, { timeout: 400_000 });
  for (let i = 0; i < 5; i++) {
    await expect
      .poll(() => previews.nth(i).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
  }
  await expect(queue.getByRole('heading', { name: '5 of 5 images ready' })).toBeVisible();
  await expect(balance).toHaveText('10 credits');
  await shot(page, 'bulk-01-queue');

  // The price first: 5 credits against a balance of 10.
  await queue.getByTestId('open-batch-hd').click();
  const dialog = page.getByRole('dialog', { name: 'Download all in HD' });
  await expect(dialog.getByTestId('batch-cost')).toHaveText('5 credits');
  await expect(dialog.getByTestId('batch-balance')).toHaveText('10 credits');
  await expect(dialog.getByTestId('confirm-batch-hd')).toHaveText('Download 5 images for 5 credits');
  await shot(page, 'bulk-02-dialog', { fullPage: false });

  const first = await saveZip(page, dialog);
  expect(first.name).toMatch(/^no-bg-5-images-\d{4}-\d{2}-\d{2}\.zip$/);
  await expectFivePngs(first.zip);
  await expect(dialog.getByRole('status').filter({ hasText: 'has downloaded' })).toHaveText(
    'Your ZIP with 5 images has downloaded. 5 credits were charged; you have 5 credits left.',
  );
  await shot(page, 'bulk-03-downloaded', { fullPage: false });
  await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();
  await expect(balance).toHaveText('5 credits');

  // The recent list shows the batch as one group; downloading it again is free.
  await page.reload();
  const batches = page.getByTestId('recent-batches');
  await expect(batches.getByRole('listitem')).toHaveCount(1);
  await expect(batches).toContainText('5 images');
  await expect(batches).toContainText('All paid for in HD');
  await shot(page, 'bulk-04-recent-batch');
  const again5 = batches.getByRole('button', { name: /^Download the batch of 5 images from / });
  await expect(again5).toHaveText('Download all again (free)');
  await again5.click();
  await expect(dialog.getByTestId('batch-cost')).toHaveText('Free (already paid)');
  await expect(dialog.getByTestId('batch-balance')).toHaveText('5 credits');
  const again = await saveZip(page, dialog);
  await expectFivePngs(again.zip);
  for (const name of Object.keys(first.zip)) {
    expect(Buffer.from(again.zip[name]!).equals(Buffer.from(first.zip[name]!))).toBe(true);
  }
  await expect(dialog.getByRole('status').filter({ hasText: 'has downloaded' })).toContainText('Nothing was charged');
  await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();
  await expect(balance).toHaveText('5 credits');
});
