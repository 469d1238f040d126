/**
 * Help-page votes are one per person and topic, kept by a unique (user_id, topic) index since
 * migration 0012. Votes left more than once before it are folded by the migration into the
 * person's latest one; votes without a person stay rows of their own. A vote an old replica is
 * still writing when it runs is waited for and folded too.
 */
import { rmSync } from 'node:fs';
import { asc, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../src/client';
import { helpFeedbackCounts, recordHelpFeedback } from '../src/queries/feedback';
import { createUser } from '../src/queries/users';
import { helpFeedback } from '../src/schema';
import { createPgliteDataDir, DB_KINDS, forgetMigrationsFrom, withEmptyPostgres } from './support';

describe.each(DB_KINDS)('migration 0012 on %s', (kind) => {
  const empty = kind === 'postgres' ? withEmptyPostgres() : undefined;
  const at = (minute: number) => new Date(Date.UTC(2027, 2, 1, 12, minute));

  it("folds votes left more than once into each person's latest, then keeps one per person and topic", async () => {
    const dataDir = empty ? undefined : await createPgliteDataDir();
    const open = () => createDb(empty ? { url: empty.url } : { dataDir });
    let handle: DbHandle | undefined = await open();
    try {
      const ann = (await createUser(handle.db, { email: `feedback-0012-ann-${kind}@example.com` })).id;
      const bob = (await createUser(handle.db, { email: `feedback-0012-bob-${kind}@example.com` })).id;

      // Back to where 0011 left the database, votes stored as the code before 1c98575 stored them:
      // a row per click.
      await handle.db.execute(sql`drop index "help_feedback_user_topic_key"`);
      await handle.db.insert(helpFeedback).values([
        { userId: ann, topic: 'credits', helpful: true, createdAt: at(1) },
        { userId: ann, topic: 'credits', helpful: false, createdAt: at(3) },
        { userId: ann, topic: 'credits', helpful: true, createdAt: at(2) },
        { userId: ann, topic: 'payg', helpful: true, createdAt: at(1) },
        { userId: bob, topic: 'credits', helpful: true, createdAt: at(1) },
        { userId: bob, topic: 'credits', helpful: true, createdAt: at(4) },
        { userId: null, topic: 'credits', helpful: true, createdAt: at(1) },
        { userId: null, topic: 'credits', helpful: false, createdAt: at(2) },
      ]);
      await forgetMigrationsFrom(handle.db, '0012_help_feedback_one_vote');
      await handle.close();
      handle = undefined;

      handle = await open();
      const db = handle.db;
      const rows = async () =>
        db
          .select({ userId: helpFeedback.userId, topic: helpFeedback.topic, helpful: helpFeedback.helpful })
          .from(helpFeedback)
          .orderBy(asc(helpFeedback.topic), asc(helpFeedback.createdAt));
      const byPerson = (list: Awaited<ReturnType<typeof rows>>, userId: string | null) =>
        list.filter((r) => r.userId === userId).map(({ topic, helpful }) => ({ topic, helpful }));
      const folded = await rows();
      expect(byPerson(folded, ann)).toEqual([
        { topic: 'credits', helpful: false },
        { topic: 'payg', helpful: true },
      ]);
      expect(byPerson(folded, bob)).toEqual([{ topic: 'credits', helpful: true }]);
      expect(byPerson(folded, null)).toEqual([
        { topic: 'credits', helpful: true },
        { topic: 'credits', helpful: false },
      ]);
      expect(await helpFeedbackCounts(db)).toEqual([
        { topic: 'credits', helpful: 2, notHelpful: 2 },
        { topic: 'payg', helpful: 1, notHelpful: 0 },
      ]);

      // From now on the index keeps the rule: voting again changes the one row, a second row is refused.
      await recordHelpFeedback(db, { userId: ann, topic: 'credits', helpful: true });
      await expect(db.insert(helpFeedback).values({ userId: bob, topic: 'credits', helpful: false })).rejects.toThrow();
      await recordHelpFeedback(db, { topic: 'credits', helpful: false });
      const after = await rows();
      expect(byPerson(after, ann)).toEqual([
        { topic: 'credits', helpful: true },
        { topic: 'payg', helpful: true },
      ]);
      expect(byPerson(after, null)).toHaveLength(3);
    } finally {
      await handle?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('migration 0012 on postgres while an old replica is writing a vote', () => {
  const empty = withEmptyPostgres();

  it('waits for the vote and folds it, rather than failing to build the index', async () => {
    const first = await createDb({ url: empty.url });
    const ann = (await createUser(first.db, { email: 'feedback-0012-race@example.com' })).id;
    await first.db.execute(sql`drop index "help_feedback_user_topic_key"`);
    await first.db.insert(helpFeedback).values({ userId: ann, topic: 'credits', helpful: true });
    await forgetMigrationsFrom(first.db, '0012_help_feedback_one_vote');
    await first.close();

    // An old replica's second vote (a plain INSERT, as before 1c98575), not yet committed when the
    // migration starts.
    const writer = postgres(empty.url, { max: 1, onnotice: () => {} });
    const watcher = postgres(empty.url, { max: 1, onnotice: () => {} });
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let inserted!: () => void;
    const insertDone = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const voting = writer.begin(async (tx) => {
      await tx`insert into help_feedback (user_id, topic, helpful) values (${ann}, 'credits', false)`;
      inserted();
      await committed;
    });
    let handle: DbHandle | undefined;
    try {
      await insertDone;
      const migrating = createDb({ url: empty.url }).then(
        (h) => ({ ok: true as const, h }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      // The migration now waits on the uncommitted vote's lock (at its LOCK or, without one, at the index).
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [row] = await watcher`select count(*)::int as n from pg_stat_activity
          where datname = ${empty.name} and wait_event_type = 'Lock' and query ilike '%help_feedback%'`;
        if (row!.n > 0) break;
        if (Date.now() > deadline) throw new Error('The migration never waited for the vote being written.');
        await new Promise((r) => setTimeout(r, 50));
      }
      commit();
      await voting;
      const outcome = await migrating;
      if (!outcome.ok) throw outcome.error;
      handle = outcome.h;
      const rows = await handle.db
        .select({ userId: helpFeedback.userId, helpful: helpFeedback.helpful })
        .from(helpFeedback)
        .where(sql`${helpFeedback.userId} = ${ann}`);
      expect(rows).toEqual([{ userId: ann, helpful: false }]);
    } finally {
      commit();
      await voting.catch(() => {});
      await handle?.close();
      await writer.end({ timeout: 5 });
      await watcher.end({ timeout: 5 });
    }
  });
});
