/** The other ways in: an image address (fetched by the server, SSRF-safely) and the clipboard. */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { E2E } from './support/stack';
import { e2eState, shot, signIn } from './support/helpers';

let server: http.Server;
let port = 0;
const hits: string[] = [];

test.beforeAll(async () => {
  const photo = readFileSync(e2eState().fixtures.photo2);
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': photo.length });
    res.end(photo);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
test.afterAll(async () => new Promise<void>((r) => server.close(() => r())));

test('an image address is fetched by the server and previewed; internal addresses are refused', async ({ page }) => {
  await signIn(page, E2E.user);
  const url = page.getByLabel('Or use an image from the web');

  // 127.0.0.1 is not on the allow-list: refused before any connection is made.
  await url.fill(`http://127.0.0.1:${port}/refused.png`);
  await page.getByRole('button', { name: 'Fetch image' }).click();
  await expect(page.locator('.bgr-alert[role=alert]')).toContainText(
    'The image at that address could not be downloaded',
  );
  expect(hits).not.toContain('/refused.png');
  await shot(page, '12-url-refused', { fullPage: false });

  // The allow-listed host name works.
  await url.fill(`http://localhost:${port}/from-the-web.png`);
  await page.getByRole('button', { name: 'Fetch image' }).click();
  await expect(page.getByTestId('preview-image')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'from-the-web.png' })).toBeVisible();
  expect(hits).toContain('/from-the-web.png');
});

test('pasting an image from the clipboard uploads it', async ({ page }) => {
  await signIn(page, E2E.user);
  const bytes = [...readFileSync(e2eState().fixtures.photo3)];
  await page.evaluate((data) => {
    const file = new File([new Uint8Array(data)], 'pasted.jpg', { type: 'image/jpeg' });
    const dt = new DataTransfer();
    dt.items.add(file);
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
  }, bytes);
  await expect(page.getByTestId('preview-image')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'pasted.jpg' })).toBeVisible();
});

test('an upload shows its progress, then the processing state, then the preview', async ({ page }) => {
  // Every progress bar the page shows is recorded as it appears, so the check does not depend on
  // catching a fast upload at the right moment.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __progress: string[] }).__progress = seen;
    new MutationObserver(() => {
      for (const bar of document.querySelectorAll('[role=progressbar]')) {
        const entry = `${bar.getAttribute('aria-label')}|${bar.getAttribute('aria-valuenow') ?? ''}`;
        if (seen[seen.length - 1] !== entry) seen.push(entry);
      }
    }).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuenow', 'aria-label'],
    });
  });
  await signIn(page, E2E.user);
  // A noisy photo-sized PNG (~1.4 MB) sent over a throttled connection.
  const sharp = (await import('sharp')).default;
  const noise = Buffer.alloc(800 * 600 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  const big = await sharp(noise, { raw: { width: 800, height: 600, channels: 3 } })
    .png()
    .toBuffer();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 300 * 1024,
  });

  await page.getByTestId('file-input').setInputFiles({ name: 'slow.png', mimeType: 'image/png', buffer: big });
  await expect(page.getByRole('heading', { name: 'slow.png' })).toBeVisible();
  await expect(page.getByTestId('preview-image')).toBeVisible();
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });

  const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  const uploading = seen.filter((e) => /^Uploading… \d+%\|\d+$/.test(e));
  expect(uploading.length, seen.join(', ')).toBeGreaterThan(0);
  for (const e of uploading) expect(Number(e.split('|')[1])).toBeLessThanOrEqual(100);
  // Upload first, then processing (an indeterminate bar, no value).
  const processingAt = seen.indexOf('Removing the background…|');
  expect(processingAt, seen.join(', ')).toBeGreaterThan(seen.indexOf(uploading[0]!));
});
