import { serverCaller } from '~/trpc/server';
import { formatDateTime } from '~/components/dashboard/format';
import { creditsText } from '~/components/dashboard/format';
import account from '~/components/dashboard/account.module.css';
import styles from '~/components/admin/admin.module.css';
import { AdminTable } from '~/components/admin/AdminTable';

export const metadata = { title: 'System' };

const ms = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;

/** How long ago, in words an operator reads at a glance. */
function ago(from: Date | string, now: number): string {
  const s = Math.max(0, Math.round((now - new Date(from).getTime()) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  return `${(s / 3600).toFixed(1)} h ago`;
}

const STATE_BADGE = { ready: account.badgeOk, slow: account.badgeWarn, down: account.badgeDanger } as const;
const STATUS_WORD = { operational: 'Operational', degraded: 'Degraded', down: 'Down' } as const;
const STATUS_COLOR = { operational: 'var(--success)', degraded: 'var(--warning)', down: 'var(--danger)' } as const;

export default async function SystemPage() {
  const { caller } = await serverCaller();
  const o = await caller.system.overview();
  const now = Date.now();
  const { inference } = o.status.components;

  return (
    <>
      <div className={styles.stats}>
        <div className={styles.stat}>
          <span>Status</span>
          <strong data-testid="system-status" style={{ color: STATUS_COLOR[o.status.status] }}>
            {STATUS_WORD[o.status.status]}
          </strong>
        </div>
        <div className={styles.stat}>
          <span>Inference replicas ready</span>
          <strong>
            {inference.ready} / {inference.total}
          </strong>
        </div>
        <div className={styles.stat}>
          <span>Render errors, last 5 min</span>
          <strong>{(o.errorRate * 100).toFixed(1)} %</strong>
        </div>
        <div className={styles.stat}>
          <span>Web replicas seen</span>
          <strong>{o.web.length}</strong>
        </div>
      </div>
      {o.unavailable && <p className={account.badgeDanger}>{o.unavailable}</p>}

      <section className={account.card} aria-labelledby="inference-title">
        <h2 id="inference-title">Inference replicas</h2>
        <AdminTable
          testId="system-inference"
          columns={[
            'URL',
            'Ready',
            'Provider',
            { label: 'In flight / queued', num: true },
            { label: 'p50 / p95', num: true },
            'Last error',
          ]}
          items={o.inference}
          row={(r) => (
            <tr key={r.url} data-state={r.state}>
              <td>
                <code>{r.url}</code>
              </td>
              <td>
                <span className={STATE_BADGE[r.state]}>
                  {r.state === 'ready' ? 'ready' : r.state === 'slow' ? 'slow to answer' : 'not ready'}
                </span>
              </td>
              {r.stats ? (
                <>
                  <td>
                    {r.stats.provider.toUpperCase()} · {r.stats.model}
                    <div className={account.small}>
                      {r.stats.threads} thread{r.stats.threads === 1 ? '' : 's'}
                    </div>
                  </td>
                  <td className={account.num}>
                    {r.stats.inFlight} / {r.stats.queued}
                  </td>
                  <td className={account.num}>
                    {ms(r.stats.renders.p50Ms)} / {ms(r.stats.renders.p95Ms)}
                    <div className={account.small}>
                      {r.stats.renders.count} render{r.stats.renders.count === 1 ? '' : 's'} in the last hour
                    </div>
                  </td>
                  <td>
                    {r.stats.lastError ? (
                      <>
                        <code>{r.stats.lastError.code}</code> {r.stats.lastError.detail}
                        <div className={account.small}>{ago(r.stats.lastError.at, now)}</div>
                      </>
                    ) : (
                      <span className={account.muted}>None</span>
                    )}
                  </td>
                </>
              ) : (
                <td colSpan={4}>
                  <span className={account.small}>No statistics: {r.statsError}</span>
                </td>
              )}
            </tr>
          )}
        />
      </section>

      {o.discovery.length > 0 && (
        <section className={account.card} aria-labelledby="discovery-title">
          <h2 id="discovery-title">Inference names looked up (dns+)</h2>
          <AdminTable
            testId="system-discovery"
            columns={['Name', { label: 'Addresses', num: true }, 'Looked up', 'Last lookup']}
            items={o.discovery}
            row={(d) => (
              <tr key={d.url} data-state={d.error ? 'failed' : 'ok'}>
                <td>
                  <code>{d.name}</code>
                  <div className={account.small}>{d.url}</div>
                </td>
                <td className={account.num}>{d.addresses}</td>
                <td>{d.lookedUpAt ? ago(d.lookedUpAt, now) : 'not yet'}</td>
                <td>
                  {d.error ? (
                    <>
                      <span className={account.badgeDanger}>failed</span>
                      <div className={account.small}>{d.error}</div>
                    </>
                  ) : (
                    <span className={account.badgeOk}>answered</span>
                  )}
                </td>
              </tr>
            )}
          />
        </section>
      )}

      <div className={account.grid2}>
        <section className={account.card} aria-labelledby="web-title">
          <h2 id="web-title">Web replicas seen in the last minute</h2>
          <AdminTable
            testId="system-web"
            columns={['Host', 'Version', 'Started', 'Last seen']}
            items={o.web}
            empty="No heartbeat in the last minute."
            row={(w) => (
              <tr key={w.replicaId}>
                <td>
                  <code>{w.host}</code> {w.self && <span className={account.badgeMuted}>this one</span>}
                </td>
                <td>{w.version}</td>
                <td>{formatDateTime(w.startedAt)}</td>
                <td>{ago(w.lastSeen, now)}</td>
              </tr>
            )}
          />
        </section>

        <section className={account.card} aria-labelledby="backends-title">
          <h2 id="backends-title">Database and storage</h2>
          <AdminTable
            testId="system-backends"
            columns={['Check', 'Result', { label: 'Latency', num: true }]}
            items={
              [
                ['Database (select 1)', o.database],
                ['Storage (write one object)', o.storage],
              ] as const
            }
            row={([name, c]) => (
              <tr key={name}>
                <td>{name}</td>
                <td>
                  <span className={c.up ? account.badgeOk : account.badgeDanger}>{c.up ? 'up' : 'down'}</span>
                  {c.error && <div className={account.small}>{c.error}</div>}
                </td>
                <td className={account.num}>{ms(c.latencyMs)}</td>
              </tr>
            )}
          />
        </section>
      </div>

      <div className={account.grid2}>
        <section className={account.card} aria-labelledby="scheduler-title">
          <h2 id="scheduler-title">Scheduler: last run of each job</h2>
          <AdminTable
            testId="system-scheduler"
            columns={['Job', 'Started', 'Runner']}
            items={o.scheduler}
            empty="No job has run yet."
            row={(j) => (
              <tr key={j.job}>
                <td className={account.nowrap}>{j.job}</td>
                <td>
                  {formatDateTime(j.startedAt)} <span className={account.small}>({ago(j.startedAt, now)})</span>
                </td>
                <td>
                  <code>{j.runner}</code>
                </td>
              </tr>
            )}
          />
        </section>

        <section className={account.card} aria-labelledby="holds-title">
          <h2 id="holds-title">Holds older than 5 minutes</h2>
          {o.holds.count === 0 ? (
            <p className={account.empty} data-testid="system-holds">
              None: every hold was captured or released within 5 minutes.
            </p>
          ) : (
            <>
              <p data-testid="system-holds">
                {o.holds.count} hold{o.holds.count === 1 ? '' : 's'} still held; the scheduler releases them after the
                hold timeout. The oldest:
              </p>
              <AdminTable
                columns={['Taken', 'Who', { label: 'Credits', num: true }]}
                items={o.holds.oldest}
                row={(h) => (
                  <tr key={h.id}>
                    <td>{ago(h.createdAt, now)}</td>
                    <td>{h.userEmail ?? '–'}</td>
                    <td className={account.num}>{creditsText(h.units)}</td>
                  </tr>
                )}
              />
            </>
          )}
        </section>
      </div>
    </>
  );
}
