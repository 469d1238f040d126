/** Self-service sign-up (SIGNUP=open in the e2e stack) and signing out. */
import { expect, test } from '@playwright/test';
import { shot } from './support/helpers';

test('a new person signs up, lands on the home page with 0 credits, and signs out', async ({ page }) => {
  await page.goto('/signin');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill('Sam Newcomer');
  await page.getByLabel('Email').fill('sam@e2e.test');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  // The browser's own check stops a too-short password before anything is sent.
  await expect(page).toHaveURL(/\/signup/);

  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Remove the background from any photo' })).toBeVisible();
  await expect(page.getByTestId('header-balance')).toHaveText('0 credits');
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await shot(page, '13-signed-up');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin/);

  // The same email cannot be taken twice, and sign-up does not say whether it was taken.
  await page.goto('/signup');
  await page.getByLabel('Email').fill('sam@e2e.test');
  await page.getByLabel('Password').fill('another long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('.bgr-alert')).toContainText(
    'If this address can be used, your account is ready. Please sign in with it.',
  );
  await expect(page).toHaveURL(/\/signup/);
});
