/**
 * The teams story: the admin creates a team, adds two people (one as its owner) and grants the team
 * 10 credits; the member, who has no credits of their own, downloads a photo in HD and sees the
 * team's credits go from 10 to 9; the owner sees that use against the member on the Team page.
 * Screenshots: teams-admin.png (the admin's team page), team-owner.png (the owner's Team page).
 */
import { expect, test } from '@playwright/test';
import { adminCreatesUser, e2eState, shot, signIn } from './support/helpers';
import { E2E } from './support/stack';

test.describe.configure({ mode: 'serial' });

const run = Date.now().toString(36);
const teamName = `Studio ${run}`;
const member = { email: `team-member-${run}@e2e.test`, password: 'team-member-password' };
const owner = { email: `team-owner-${run}@e2e.test`, password: 'team-owner-password' };

test('the admin creates the two people, without credits of their own', async ({ page }) => {
  await adminCreatesUser(page, member, 0, `teams story ${run}`);
  await page.getByLabel('Email', { exact: true }).fill(owner.email);
  await page.getByLabel('Initial password').fill(owner.password);
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByText(`Created ${owner.email}.`)).toBeVisible();
});

test('the admin creates a team, adds a member and an owner, and grants it 10 credits', async ({ page }) => {
  await signIn(page, E2E.admin);
  await page.goto('/admin');
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Teams' }).click();
  await expect(page).toHaveURL(/\/admin\/teams$/);
  await page.getByLabel('Team name').fill(teamName);
  await page.getByRole('button', { name: 'Create team' }).click();
  await expect(page.getByText(`Created ${teamName}.`)).toBeVisible();
  await page.getByTestId('teams-table').getByRole('link', { name: teamName }).click();
  await expect(page.getByTestId('admin-team-name')).toHaveText(teamName);

  const add = page.getByRole('form', { name: 'Add a member' });
  await add.getByLabel('Email of the person to add').fill(member.email);
  await add.getByRole('button', { name: 'Add to the team' }).click();
  await expect(page.getByText(`Added ${member.email} to the team.`)).toBeVisible();
  await add.getByLabel('Email of the person to add').fill(owner.email);
  await add.getByLabel('Owner').check();
  await add.getByRole('button', { name: 'Add to the team' }).click();
  await expect(page.getByText(`Added ${owner.email} to the team.`)).toBeVisible();
  const members = page.getByTestId('members-table');
  await expect(members.getByTestId(`member-${member.email}`).getByLabel(`Role of ${member.email}`)).toHaveValue(
    'member',
  );
  await expect(members.getByTestId(`member-${owner.email}`).getByLabel(`Role of ${owner.email}`)).toHaveValue('owner');

  await page.getByLabel('Credits', { exact: true }).fill('10');
  await page.getByLabel('Note for the audit log', { exact: true }).first().fill(`teams story ${run}`);
  await page.getByRole('button', { name: 'Grant credits' }).click();
  await expect(page.getByText('Credits granted and recorded in the audit log.')).toBeVisible();
  await expect(page.getByTestId('balance-total')).toContainText('10');
  await expect(page.getByTestId('bucket-payg')).toContainText('10');
  await page.goto('/admin/teams');
  const row = page.getByTestId('teams-table').getByRole('row', { name: new RegExp(teamName) });
  await expect(row).toContainText('2');
  await expect(row).toContainText('10');
});

test('the member downloads HD and the team credits go from 10 to 9', async ({ page }) => {
  const { fixtures } = e2eState();
  await signIn(page, member);
  await expect(page.getByTestId('header-balance')).toHaveText('10 credits');
  await page.getByTestId('file-input').setInputFiles(fixtures.photo);
  const preview = page.getByTestId('preview-image');
  await expect(preview).toBeVisible();
  await page.getByTestId('open-hd').click();
  const dialog = page.getByRole('dialog', { name: 'Download HD' });
  await expect(dialog.getByTestId('hd-balance')).toHaveText('10 credits');
  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('confirm-hd').click();
  await downloadPromise;
  await expect(dialog.getByRole('status').filter({ hasText: 'download has started' })).toContainText(
    '1 credit was charged; you have 9 credits left.',
  );
  await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();
  await expect(page.getByTestId('header-balance')).toHaveText('9 credits');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(page.getByTestId('team-name')).toHaveText(teamName);
  await expect(page.getByTestId('team-available')).toHaveText('9 credits');
  await expect(page.getByTestId('team-used-me')).toHaveText('1 credit');
  // A member sees their own use only: no members' table, no team ledger.
  await expect(page.getByTestId('members-table')).toHaveCount(0);

  await page.goto('/dashboard');
  await expect(page.getByTestId('balance-total')).toContainText('9');
  await expect(page.getByTestId('bucket-team')).toContainText('9');
});

test("the owner sees the member's use on the Team page", async ({ page }) => {
  await signIn(page, owner);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(page.getByTestId('team-name')).toHaveText(teamName);
  const row = page.getByTestId('members-table').getByTestId(`member-${member.email}`);
  await expect(row.getByTestId('cap-meter')).toHaveText('1 used · no cap');
  await expect(
    page.getByTestId('members-table').getByTestId(`member-${owner.email}`).getByTestId('cap-meter'),
  ).toHaveText('0 used · no cap');
  await expect(page.getByTestId('balance-total').last()).toContainText('9');
  // The team does not let owners manage members, so there is no form to add one.
  await expect(page.getByRole('form', { name: 'Add a member' })).toHaveCount(0);
  await shot(page, 'team-owner');
  // At phone width the page still reads: the members' use fits the screen without scrolling sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  const meter = row.getByTestId('cap-meter');
  await meter.scrollIntoViewIfNeeded();
  const box = await meter.boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await shot(page, 'team-owner-phone');
});

test("the admin sees the member's use on the team's page, per member and per day", async ({ page }) => {
  await signIn(page, E2E.admin);
  await page.goto('/admin/teams');
  await shot(page, 'teams-admin-list');
  await page.getByTestId('teams-table').getByRole('link', { name: teamName }).click();
  await expect(page.getByTestId('balance-total')).toContainText('9');
  const members = page.getByTestId('members-table');
  await expect(members.getByTestId(`member-${member.email}`).getByTestId('cap-meter')).toHaveText('1 used · no cap');
  // The chart draws the member's day (it says so when there is nothing to draw).
  const chart = page.getByRole('figure', { name: 'Team credits spent per day, last 30 days' });
  await expect(chart.locator('.recharts-responsive-container')).toBeVisible();
  await expect(chart.getByText('No team credits spent in this period.')).toHaveCount(0);
  await shot(page, 'teams-admin');
});
