/**
 * A user's lots (with expiry), ledger entries, holds and images, as the admin sees them. A team's
 * page shows the same lots and entries tables (a team has no holds or images of its own).
 */
import type { RouterOutputs } from '../dashboard/router-types';
import { BUCKET_LABELS, creditsNumber, formatDateTime } from '../dashboard/format';
import { formatBytes } from '~/lib/format';
import account from '../dashboard/account.module.css';
import { AdminTable } from './AdminTable';

type Detail = RouterOutputs['admin']['user'];

const LOT_STATE: Record<Detail['lots'][number]['state'], { label: string; cls: string }> = {
  live: { label: 'Usable', cls: 'badgeOk' },
  pending: { label: 'Not yet', cls: 'badgeWarn' },
  expired: { label: 'Expired', cls: 'badgeMuted' },
  used: { label: 'Used up', cls: 'badgeMuted' },
};

const ENTRY_LABELS: Record<string, string> = {
  grant: 'Granted',
  rollover: 'Rolled over',
  carry: 'Carried over',
  expire: 'Expired',
  charge: 'Charged',
  debit: 'Correction',
};

function signed(units: number): string {
  return `${units > 0 ? '+' : units < 0 ? '−' : ''}${creditsNumber(Math.abs(units))}`;
}

export function UserLedgerTables({
  lots,
  entries,
  holds,
  images,
  owner = 'user',
}: Pick<Detail, 'lots' | 'entries'> & Partial<Pick<Detail, 'holds' | 'images'>> & { owner?: 'user' | 'team' }) {
  return (
    <>
      <section className={account.card} aria-labelledby="lots-title">
        <h2 id="lots-title">Lots</h2>
        <AdminTable
          testId="lots-table"
          columns={[
            'Kind',
            { label: 'Granted', num: true },
            { label: 'Left', num: true },
            'From',
            'Expires',
            'State',
            'Note',
          ]}
          items={lots}
          empty={`No credits have been granted to this ${owner}.`}
          row={(l) => (
            <tr key={l.id}>
              <td>{BUCKET_LABELS[l.kind]}</td>
              <td className={account.num}>{creditsNumber(l.amount)}</td>
              <td className={account.num}>{creditsNumber(l.remaining)}</td>
              <td className={account.nowrap}>{formatDateTime(l.effectiveAt)}</td>
              <td className={account.nowrap}>
                {l.expiresAt ? formatDateTime(l.expiresAt) : <span className={account.muted}>Never</span>}
              </td>
              <td>
                <span className={account[LOT_STATE[l.state].cls]}>{LOT_STATE[l.state].label}</span>
              </td>
              <td>{l.note ?? ''}</td>
            </tr>
          )}
        />
      </section>

      <section className={account.card} aria-labelledby="entries-title">
        <div className={account.cardHeader}>
          <h2 id="entries-title">Ledger entries</h2>
          <span className={`${account.muted} ${account.small}`}>
            Newest first{entries.length >= 50 ? ', latest 50' : ''}
          </span>
        </div>
        <AdminTable
          testId="entries-table"
          columns={['When', 'What', 'Lot', { label: 'Credits', num: true }, 'Note']}
          items={entries}
          empty="No ledger entries yet."
          row={(e) => (
            <tr key={e.id}>
              <td className={account.nowrap}>{formatDateTime(e.at)}</td>
              <td>{ENTRY_LABELS[e.type] ?? e.type}</td>
              <td>{e.lotKind ? (BUCKET_LABELS[e.lotKind as keyof typeof BUCKET_LABELS] ?? e.lotKind) : ''}</td>
              <td className={account.num}>{signed(e.units)}</td>
              <td>{e.note ?? ''}</td>
            </tr>
          )}
        />
      </section>

      {holds && images ? (
        <div className={account.grid2}>
          <section className={account.card} aria-labelledby="holds-title">
            <div className={account.cardHeader}>
              <h2 id="holds-title">Holds</h2>
              {holds.length >= 20 ? <span className={`${account.muted} ${account.small}`}>Latest 20</span> : null}
            </div>
            <AdminTable
              columns={['Taken', 'Status', { label: 'Credits', num: true }]}
              items={holds}
              empty="No holds."
              row={(h) => (
                <tr key={h.id}>
                  <td className={account.nowrap} title={h.key}>
                    {formatDateTime(h.createdAt)}
                  </td>
                  <td>
                    <span
                      className={
                        h.status === 'held'
                          ? account.badgeWarn
                          : h.status === 'captured'
                            ? account.badgeOk
                            : account.badgeMuted
                      }
                    >
                      {h.status === 'held' ? 'Held' : h.status === 'captured' ? 'Charged' : 'Released'}
                    </span>
                  </td>
                  <td className={account.num}>
                    {h.status === 'captured' && h.capturedUnits !== null
                      ? creditsNumber(h.capturedUnits)
                      : creditsNumber(h.units)}
                  </td>
                </tr>
              )}
            />
          </section>

          <section className={account.card} aria-labelledby="images-title">
            <h2 id="images-title">Images</h2>
            <AdminTable
              columns={['Uploaded', 'File', 'Size', 'HD']}
              items={images}
              empty="No images."
              row={(i) => (
                <tr key={i.id}>
                  <td className={account.nowrap}>{formatDateTime(i.createdAt)}</td>
                  <td style={{ overflowWrap: 'break-word' }}>
                    {i.originalName}
                    {i.edited ? (
                      <>
                        {' '}
                        <span className={account.badgeMuted} title="Erase/restore strokes painted by the person">
                          Edited
                        </span>
                      </>
                    ) : null}
                    <div className={`${account.muted} ${account.small}`}>
                      {i.source === 'api' ? 'API' : 'Web'}
                      {i.consentImprove ? ' · may be used for improvements' : ''}
                    </div>
                  </td>
                  <td className={account.nowrap}>
                    {i.width}×{i.height}
                    <div className={`${account.muted} ${account.small}`}>{formatBytes(i.bytes)}</div>
                  </td>
                  <td>
                    {i.status === 'hd' ? (
                      <span className={account.badgeOk}>Downloaded</span>
                    ) : (
                      <span className={account.muted}>—</span>
                    )}
                  </td>
                </tr>
              )}
            />
          </section>
        </div>
      ) : null}
    </>
  );
}
