import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { E2E, type E2EState } from './stack';

export function e2eState(): E2EState {
  return JSON.parse(readFileSync(E2E.stateFile, 'utf8')) as E2EState;
}

export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  // From the top, so the sticky header sits where a person sees it.
  if (opts.fullPage ?? true) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(E2E.screenshots, `${name}.png`), fullPage: opts.fullPage ?? true });
}

export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // The header is server-rendered, so it shows before React has hydrated the page; a file set on
  // the upload input before then is lost. The recent-images list loads on the client only once
  // hydrated, so its loading line going away means the page is interactive.
  if (new URL(page.url()).pathname === '/') await expect(page.getByText('Loading your recent images…')).toHaveCount(0);
}
