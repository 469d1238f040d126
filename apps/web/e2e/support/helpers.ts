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

/**
 * A user of the story's own, created and given credits by the admin in the console, so a story's
 * balance does not depend on what the stories before it spent of the seeded user's credits (0
 * credits: none granted, e.g. a team member who spends only the team's). The page is left signed
 * in as the admin: call it in a test of its own (a fresh page follows).
 */
export async function adminCreatesUser(
  page: Page,
  who: { email: string; password: string },
  credits: number,
  note: string,
): Promise<void> {
  await signIn(page, E2E.admin);
  await page.goto('/admin');
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Initial password').fill(who.password);
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByText(`Created ${who.email}.`)).toBeVisible();
  if (credits === 0) return;
  await page.getByTestId('users-table').getByRole('link', { name: who.email }).click();
  await page.getByLabel('Credits', { exact: true }).fill(String(credits));
  await page.getByLabel('Note for the audit log', { exact: true }).first().fill(note);
  await page.getByRole('button', { name: 'Grant credits' }).click();
  await expect(page.getByText('Credits granted and recorded in the audit log.')).toBeVisible();
}
