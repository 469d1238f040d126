/**
 * The main journey: sign in, upload a photo, see the free preview, buy the HD download for exactly
 * one credit, download it again for free, run out of credits and read why.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { E2E } from './support/stack';
import { e2eState, shot, signIn } from './support/helpers';

const balance = (page: Page) => page.getByTestId('header-balance');

async function upload(page: Page, file: string): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(file);
  const preview = page.getByTestId('preview-image');
  await expect(preview).toBeVisible();
  // The cut-out really loaded (not a broken image).
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
}

async function downloadHd(page: Page): Promise<{ bytes: Buffer; name: string }> {
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('confirm-hd').click();
  const download = await downloadPromise;
  const file = await download.path();
  return { bytes: readFileSync(file), name: download.suggestedFilename() };
}

test.describe.configure({ mode: 'serial' });

test('sign-in refuses a wrong password with a sentence', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin/);
  await shot(page, '01-sign-in');
  await page.getByLabel('Email').fill(E2E.user.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.bgr-alert[role=alert]')).toHaveText(
    'That email and password do not match an active account.',
  );
  await page.goto('/signup');
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  await shot(page, '02-sign-up');
});

test('upload → free preview → HD for 1 credit → again for free → out of credits', async ({ page }) => {
  const { fixtures } = e2eState();
  await signIn(page, E2E.user);
  await expect(balance(page)).toHaveText('2 credits');
  await shot(page, '03-home-empty');

  // Upload and preview: free.
  await upload(page, fixtures.photo);
  await expect(page.getByRole('heading', { name: 'portrait.jpg' })).toBeVisible();
  await expect(page.getByText('640 × 480 px')).toBeVisible();
  await page.reload();
  await expect(balance(page)).toHaveText('2 credits');
  await page.getByRole('button', { name: 'Open portrait.jpg' }).click();
  await expect(page.getByTestId('preview-image')).toBeVisible();
  // Background colour is applied live behind the cut-out.
  await page.getByRole('radio', { name: 'Blue' }).click();
  await shot(page, '04-preview-blue-background');
  await page.getByRole('radio', { name: 'Transparent' }).click();
  await shot(page, '05-preview');

  // HD: the dialog shows the cost and the balance, the download costs exactly 1 credit.
  await page.getByTestId('open-hd').click();
  const dialog = page.getByRole('dialog', { name: 'Download HD' });
  await expect(dialog.getByTestId('hd-cost')).toHaveText('1 credit');
  await expect(dialog.getByTestId('hd-balance')).toHaveText('2 credits');
  await shot(page, '06-hd-dialog', { fullPage: false });
  const first = await downloadHd(page);
  expect(first.name).toBe('portrait-no-bg.png');
  expect(first.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  await expect(dialog.getByRole('status').filter({ hasText: 'download has started' })).toContainText(
    '1 credit was charged; you have 1 credit left.',
  );
  await shot(page, '07-hd-charged', { fullPage: false });
  await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();
  await expect(balance(page)).toHaveText('1 credit');

  // The same image again: free.
  await page.getByTestId('open-hd').click();
  await expect(dialog.getByTestId('hd-cost')).toHaveText('Free (already paid)');
  const again = await downloadHd(page);
  expect(again.bytes.equals(first.bytes)).toBe(true);
  await expect(dialog).toContainText('Nothing was charged');
  await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();
  await expect(balance(page)).toHaveText('1 credit');

  // A second image spends the last credit.
  await page.getByRole('button', { name: 'Remove another background' }).click();
  await upload(page, fixtures.photo2);
  await page.getByTestId('open-hd').click();
  await expect(dialog.getByTestId('hd-balance')).toHaveText('1 credit');
  await downloadHd(page);
  await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();
  await expect(balance(page)).toHaveText('0 credits');

  // Out of credits: a clear sentence, nothing charged.
  await page.getByRole('button', { name: 'Remove another background' }).click();
  await upload(page, fixtures.photo3);
  await page.getByTestId('open-hd').click();
  await expect(dialog.getByTestId('hd-balance')).toHaveText('0 credits');
  await page.getByTestId('confirm-hd').click();
  await expect(dialog.getByRole('alert').last()).toHaveText(
    'You need 1 credit to download this image in HD, but your balance is 0 credits. Nothing was charged.',
  );
  await shot(page, '08-out-of-credits', { fullPage: false });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(balance(page)).toHaveText('0 credits');

  // Recent images, with the paid one marked for free re-download.
  await expect(page.getByTestId('recent-images').getByRole('listitem')).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Open portrait.jpg' })).toHaveText('Open · re-download');
  await shot(page, '09-recent-images');
});

test('the home page works at phone width', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, E2E.user);
  await expect(page.getByRole('button', { name: /Upload an image/ })).toBeVisible();
  await shot(page, '10-phone-home');
  await page.getByRole('button', { name: 'Open portrait.jpg' }).click();
  await expect(page.getByTestId('preview-image')).toBeVisible();
  await shot(page, '11-phone-preview');
});

test('uploads up to 22 MB reach the server whole; larger ones get a sentence', async ({ page }) => {
  await signIn(page, E2E.user);
  const limit = 22 * 1024 * 1024;
  // Not an image, but exactly at the limit: the server must read all of it and then say what is wrong.
  const atLimit = await page.request.post('/api/images', {
    multipart: { file: { name: 'big.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(limit, 7) } },
  });
  expect(atLimit.status()).toBe(400);
  expect(await atLimit.json()).toEqual({
    error: { code: 'invalid_file_type', message: 'Only JPEG, PNG and WebP images are supported.' },
  });

  const over = await page.request.post('/api/images', {
    multipart: { file: { name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(limit + 1, 7) } },
  });
  expect(over.status()).toBe(413);
  expect((await over.json()).error.message).toBe('That file is larger than 22 MB. Please choose a smaller image.');

  // Signed out: refused before anything is read.
  const anonymous = await page.context().browser()!.newContext({ baseURL: E2E.baseUrl });
  const refused = await anonymous.request.post('/api/images', {
    multipart: { file: { name: 'a.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(10) } },
  });
  expect(refused.status()).toBe(401);
  await anonymous.close();
});

test('image files are private: others get 404, signed-out visitors 401, nobody is charged by a GET', async ({
  page,
  browser,
}) => {
  await signIn(page, E2E.user);
  const src = await page.getByTestId('recent-images').locator('img').last().getAttribute('src');
  expect(src).toMatch(/^\/api\/images\/[0-9a-f-]{36}\/preview$/);
  const id = src!.split('/')[3]!;
  const own = await page.request.get(src!);
  expect(own.status()).toBe(200);
  expect(own.headers()['content-type']).toBe('image/png');
  // The oldest image is the one paid for: its HD file comes free; an unpaid one is never charged by a GET.
  expect((await page.request.get(`/api/images/${id}/hd?format=png`)).status()).toBe(200);
  const unpaid = (await page.getByTestId('recent-images').locator('img').first().getAttribute('src'))!.split('/')[3]!;
  const notPaid = await page.request.get(`/api/images/${unpaid}/hd?format=png`);
  expect(notPaid.status()).toBe(402);
  await expect(page.getByTestId('header-balance')).toHaveText('0 credits');

  const anonymous = await browser.newContext({ baseURL: E2E.baseUrl });
  expect((await anonymous.request.get(src!)).status()).toBe(401);
  await anonymous.close();

  const adminContext = await browser.newContext({ baseURL: E2E.baseUrl });
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, E2E.admin);
  for (const path of [src!, `/api/images/${id}/original`, `/api/images/${id}/hd?format=png`]) {
    const res = await adminPage.request.get(path);
    expect(res.status(), path).toBe(404);
    expect((await res.json()).error.message).toBe('That image does not exist or has been deleted.');
  }
  await adminContext.close();
});
