/**
 * The admin story: an admin creates a colleague's account, grants pay-as-you-go credits with a
 * note and starts a monthly plan; the colleague signs in and sees exactly those credits on the
 * dashboard; the audit log shows the grant (who, what, when, note); the colleague is refused the
 * admin console and its export. Uses its own new user, so the main journey's user is untouched.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { E2E } from './support/stack';
import { shot, signIn } from './support/helpers';

test.describe.configure({ mode: 'serial' });

const run = Date.now().toString(36);
const colleague = {
  email: `flo-${run}@e2e.test`,
  password: 'flo-password-e2e',
  name: 'Flo Colleague',
};
const NOTE = `Welcome credits, ticket ${run}`;

async function newPage(browser: Browser, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 860 } });
  return context.newPage();
}

test('an admin creates a user, grants credits and starts a plan, all on record', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, E2E.admin);
  await page.getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Admin console' })).toBeVisible();

  // Create the colleague's account.
  await page.getByLabel('Email', { exact: true }).fill(colleague.email);
  await page.getByLabel('Name (optional)').fill(colleague.name);
  await page.getByLabel('Initial password').fill(colleague.password);
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByText(`Created ${colleague.email}.`)).toBeVisible();
  await expect(page.getByTestId('users-table').getByRole('link', { name: colleague.email })).toBeVisible();
  await shot(page, 'admin-01-users');

  // Search finds them.
  await page.getByLabel('Search users by email or name').fill(colleague.email.toUpperCase());
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('1 user matches')).toBeVisible();
  await page.getByTestId('users-table').getByRole('link', { name: colleague.email }).click();
  await expect(page.getByTestId('admin-user-email')).toHaveText(colleague.email);
  await expect(page.getByTestId('balance-total')).toContainText('0');

  // Grant 5 pay-as-you-go credits with a note: they expire two years from today.
  await page.getByLabel('Credits', { exact: true }).fill('5');
  await expect(page.getByText(/Two years after purchase:/)).toBeVisible();
  await page.getByLabel('Note for the audit log', { exact: true }).first().fill(NOTE);
  await page.getByRole('button', { name: 'Grant credits' }).click();
  await expect(page.getByText('Credits granted and recorded in the audit log.')).toBeVisible();
  await expect(page.getByTestId('bucket-payg')).toContainText('5');

  // Start a 20-credit monthly plan: its budget is added at once.
  await page.getByLabel('Monthly credits').fill('20');
  await page.getByRole('button', { name: 'Start plan' }).click();
  await expect(page.getByText('20 credits / month')).toBeVisible();
  await expect(page.getByTestId('bucket-subscription')).toContainText('20');
  await expect(page.getByTestId('balance-total')).toContainText('25');
  const lots = page.getByTestId('lots-table');
  await expect(lots.getByRole('row', { name: /Pay-as-you-go/ })).toContainText(NOTE);
  await expect(lots.getByRole('row', { name: /Subscription/ })).toBeVisible();
  await shot(page, 'admin-02-user-after-grant-and-plan');

  // The same page at phone width.
  const phone = await newPage(browser, 390);
  await signIn(phone, E2E.admin);
  await phone.goto(page.url());
  await expect(phone.getByTestId('balance-total')).toContainText('25');
  await shot(phone, 'admin-03-user-phone');
  await phone.context().close();

  // The audit log: who, what, when, note.
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  const grantRow = page.getByTestId('audit-table').getByRole('row').filter({ hasText: NOTE });
  await expect(grantRow).toHaveCount(1);
  await expect(grantRow).toContainText('Granted credits');
  await expect(grantRow).toContainText('5 credits pay-as-you-go');
  await expect(grantRow).toContainText(E2E.admin.email);
  await expect(grantRow).toContainText(colleague.email);
  await expect(grantRow).toContainText(String(new Date().getUTCFullYear()));
  const planRow = page
    .getByTestId('audit-table')
    .getByRole('row')
    .filter({ hasText: 'Started plan' })
    .filter({ hasText: colleague.email });
  await expect(planRow).toContainText('20 credits per month');
  await shot(page, 'admin-04-audit-log');

  await page.getByRole('link', { name: 'Usage', exact: true }).click();
  await expect(page.getByText('Images per day', { exact: true })).toBeVisible();
  await shot(page, 'admin-05-usage');
  await page.context().close();
});

test('the user sees the credits and the plan on the dashboard, and is refused the admin console', async ({
  browser,
}) => {
  const page = await newPage(browser);
  await signIn(page, colleague);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByTestId('balance-total')).toContainText('25');
  await expect(page.getByTestId('bucket-subscription')).toContainText('20');
  await expect(page.getByTestId('bucket-payg')).toContainText('5');
  await expect(page.getByTestId('bucket-promo')).toContainText('0');
  await expect(page.getByTestId('plan-monthly')).toHaveText('20 credits');
  await expect(page.getByTestId('next-expiries')).toContainText('5 pay-as-you-go credits');
  await expect(page.getByTestId('header-balance')).toHaveText('25 credits');
  await shot(page, 'admin-06-user-dashboard');

  // No admin link, and the console refuses even when opened directly.
  await expect(page.getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);
  await page.goto('/admin');
  await expect(page.getByTestId('admin-refused')).toContainText('Administrators only');
  await expect(page.getByTestId('users-table')).toHaveCount(0);
  await shot(page, 'admin-07-refused');
  const exported = await page.request.get('/admin/improvements/export');
  expect(exported.status()).toBe(403);

  // An API key is shown once, then only by its prefix.
  await page.goto('/keys'); // the short address redirects to /api-keys
  await expect(page).toHaveURL(/\/api-keys$/);
  await expect(page.getByTestId('api-base-url')).toHaveText(`${E2E.baseUrl}/v1.0`);
  await page.getByLabel('Name').fill('Shop export');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = page.getByTestId('new-api-key').locator('code');
  await expect(secret).toHaveText(/^bgr_[0-9a-f]{20,}$/);
  const key = (await secret.textContent())!;
  await shot(page, 'admin-08-api-key-created');
  await page.reload();
  await expect(page.getByRole('row', { name: /Shop export/ })).toContainText(key.slice(0, 8));
  await expect(page.getByText(key)).toHaveCount(0);
  // Revoking asks first, then the key is marked revoked.
  await page
    .getByRole('row', { name: /Shop export/ })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(page.getByRole('dialog', { name: 'Revoke API key' })).toBeVisible();
  await page.getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByRole('row', { name: /Shop export/ })).toContainText('Revoked');

  // Was the help page helpful? Answered once per topic.
  await page.goto('/help');
  const credits = page.locator('section#credits');
  await credits.getByRole('button', { name: 'Yes' }).click();
  await expect(credits.getByRole('status')).toContainText('Thanks for your answer');
  await shot(page, 'admin-09-help');
  await page.context().close();
});

test('signed-out visitors are sent to sign in; admins see the help answers counted and can export', async ({
  browser,
}) => {
  const anon = await newPage(browser);
  await anon.goto('/admin');
  await expect(anon).toHaveURL(/\/signin/);
  expect((await anon.request.get('/admin/improvements/export')).status()).toBe(401);
  await anon.context().close();

  const page = await newPage(browser);
  await signIn(page, E2E.admin);
  await page.goto('/admin/feedback');
  const row = page.getByTestId('feedback-table').locator('tr[data-topic="credits"]');
  await expect(row).toContainText('What a credit buys');
  await expect(row.locator('td').nth(1)).not.toHaveText('0');
  await shot(page, 'admin-10-help-feedback');

  // Admins may export the improvement images (a ZIP with at least its manifest).
  const zip = await page.request.get('/admin/improvements/export');
  expect(zip.status()).toBe(200);
  expect(zip.headers()['content-type']).toBe('application/zip');
  expect((await zip.body()).subarray(0, 2).toString()).toBe('PK');
  await page.context().close();
});
