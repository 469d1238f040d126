/**
 * The console's form pieces (also a team owner's member form): a labelled input with its hint, a
 * credits input in quarters, a row of radio choices, and the submit button with the call's error
 * or success sentence — the labels and roles the Playwright stories find the forms by.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CreditsField, Field, RadioRow, SubmitRow } from '~/components/admin/form-parts';
import account from '~/components/dashboard/account.module.css';
import styles from '~/components/admin/admin.module.css';

const noop = () => {};

describe('Field', () => {
  it('labels its input, passes the input its attributes and adds the hint under it', () => {
    const html = renderToStaticMarkup(
      createElement(Field, {
        id: 'new-password',
        label: 'Initial password',
        type: 'password',
        value: 'secret',
        onChange: noop,
        minLength: 8,
        required: true,
        hint: 'At least 8 characters.',
      }),
    );
    expect(html).toBe(
      `<div class="${account.field}"><label for="new-password">Initial password</label>` +
        '<input id="new-password" class="bgr-input" type="password" minLength="8" required="" value="secret"/>' +
        `<span class="${account.hint}">At least 8 characters.</span></div>`,
    );
  });

  it('draws no hint without one', () => {
    const html = renderToStaticMarkup(createElement(Field, { id: 'n', label: 'Name', value: '', onChange: noop }));
    expect(html).not.toContain(account.hint);
  });

  it('takes credits in quarters from a quarter, unless told a lower minimum', () => {
    const grant = renderToStaticMarkup(
      createElement(CreditsField, { id: 'grant-credits', label: 'Credits', value: '5', onChange: noop }),
    );
    expect(grant).toContain('type="number" inputMode="decimal" min="0.25" step="0.25"');
    const cap = renderToStaticMarkup(
      createElement(CreditsField, { id: 'member-cap', label: 'Cap', min: '0', value: '', onChange: noop }),
    );
    expect(cap).toContain('min="0" step="0.25"');
  });
});

describe('RadioRow', () => {
  it('draws one labelled radio per choice, the chosen one checked, under a hidden legend', () => {
    const html = renderToStaticMarkup(
      createElement(RadioRow<'member' | 'owner'>, {
        legend: 'Role in the team',
        name: 'member-role',
        value: 'owner',
        onChange: noop,
        options: { member: 'Member', owner: 'Owner' },
      }),
    );
    expect(html).toContain('<legend class="visually-hidden">Role in the team</legend>');
    expect(html).toContain(
      `<label class="${styles.radio}"><input type="radio" name="member-role" value="member"/> Member</label>`,
    );
    expect(html).toContain(
      `<label class="${styles.radio}"><input type="radio" name="member-role" checked="" value="owner"/> Owner</label>`,
    );
  });
});

describe('SubmitRow', () => {
  const render = (props: Parameters<typeof SubmitRow>[0]) => renderToStaticMarkup(createElement(SubmitRow, props));

  it('is a submit button, busy while the call runs', () => {
    const idle = render({ children: 'Grant credits', call: { isPending: false, error: null } });
    expect(idle).toContain('<button type="submit" class="bgr-btn bgr-btn--primary bgr-btn--md">');
    expect(idle).not.toContain('role="alert"');
    expect(idle).not.toContain('role="status"');
    const busy = render({ children: 'Grant credits', call: { isPending: true, error: null }, variant: 'secondary' });
    expect(busy).toContain('class="bgr-btn bgr-btn--secondary bgr-btn--md" disabled="" aria-busy="true"');
  });

  it("says the call's error as a sentence, or the success sentence once it succeeded", () => {
    const failed = render({
      children: 'Add to the team',
      call: { isPending: false, error: { message: 'This person is already in a team.' } },
      success: null,
    });
    expect(failed).toMatch(/role="alert".*This person is already in a team\./);
    expect(failed).not.toContain('role="status"');

    const refused = render({
      children: 'Add to the team',
      call: { isPending: false, error: { message: '[...]', data: { zodError: ['Please enter an email address.'] } } },
    });
    expect(refused).toContain('Please enter an email address.');

    const done = render({
      children: 'Add to the team',
      call: { isPending: false, error: null },
      success: 'Added sam@example.test to the team.',
    });
    expect(done).toMatch(/role="status".*Added sam@example\.test to the team\./);
  });
});
