import { grantExpiryProblem, unitsToCredits } from '@bgr/credits';
import type { Actor } from '../actions/actor';
import { cancelPlanAction } from '../actions/cancel-plan';
import { changePlanAction } from '../actions/change-plan';
import { createUserAction } from '../actions/create-user';
import { debitCreditsAction } from '../actions/debit-credits';
import { grantCreditsAction } from '../actions/grant-credits';
import { startPlanAction } from '../actions/start-plan';
import type { Db } from '../client';
import { createApiKey, revokeApiKey } from '../queries/api-keys';
import { writeAudit } from '../queries/audit';
import { type Balance, balance, history, LedgerError, processDue, reconcile } from '../queries/ledger';
import { getTeamByName } from '../queries/teams';
import { findUserByEmail } from '../queries/users';
import type { SubscriptionRow } from '../schema';
import type { DbEnv } from '../env';
import { type Flags, UsageError } from './args';

/** A command's result: one JSON document for stdout, and the exit code. */
export interface Outcome {
  json: unknown;
  exitCode?: number;
}

/** What a command does once its arguments are valid (they are checked before the database is opened); `env` is the checked environment. */
export type Run = (db: Db, env: DbEnv) => Promise<Outcome>;

/** A refusal the operator can act on (unknown user, not enough credits …): one line, exit code 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}

async function userIdByEmail(db: Db, email: string): Promise<string> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new CommandError(`No user with the email ${email}.`);
  return user.id;
}

async function teamIdByName(db: Db, name: string): Promise<string> {
  const team = await getTeamByName(db, name);
  if (!team) throw new CommandError(`No team named ${name}.`);
  return team.id;
}

/** The CLI acts as the operator: audit entries say `via: "cli"` with no actor id. */
export const CLI: Actor = { via: 'cli' };

/** Whose credits: `--email E` (a person) or `--team N` (a team), exactly one. */
export type OwnerFlag = { email: string; team?: undefined } | { team: string; email?: undefined };

function ownerFlag(f: Flags, command: string): OwnerFlag {
  const email = f.string('email');
  const team = f.string('team');
  if ((email === undefined) === (team === undefined) || email === '' || team === '')
    throw new UsageError(`${command} needs --email E (a person) or --team N (a team), one of them.`);
  return email !== undefined ? { email } : { team: team! };
}

/** The owner as the admin actions name it. */
function ownerTarget(o: OwnerFlag) {
  return o.team !== undefined ? { team: { name: o.team } } : { user: { email: o.email! } };
}

/** A balance as the CLI prints it: credits per kind; a person in a team also gets their team part, counted in `total`. */
export function balanceJson(b: Balance) {
  return {
    total: credits(b.totalUnits),
    subscription: credits(b.subscriptionUnits),
    rollover: credits(b.rolloverUnits),
    payg: credits(b.paygUnits),
    promo: credits(b.promoUnits),
    held: credits(b.heldUnits),
    nextExpiries: b.nextExpiries.map((e) => ({
      credits: credits(e.units),
      kind: e.kind,
      expiresAt: iso(e.expiresAt),
    })),
    team: b.team
      ? {
          name: b.team.name,
          available: credits(b.team.availableUnits),
          capLeft: b.team.capLeftUnits === null ? null : credits(b.team.capLeftUnits),
        }
      : null,
  };
}

export const credits = unitsToCredits;
export const iso = (d: Date | null) => (d ? d.toISOString() : null);

function subscriptionJson(s: SubscriptionRow) {
  return {
    monthlyCredits: credits(s.monthlyUnits),
    status: s.status,
    periodStart: iso(s.periodStart),
    periodEnd: iso(s.periodEnd),
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
  };
}

/** Admin changes and their audit rows commit together or not at all. */
function audited<T>(
  db: Db,
  fn: (tx: Db) => Promise<T>,
  audit: (result: T) => Parameters<typeof writeAudit>[1],
): Promise<T> {
  return db.transaction(async (tx) => {
    const result = await fn(tx);
    await writeAudit(tx, audit(result));
    return result;
  });
}

/** A command: its usage line, and the parser that checks its flags and returns what it does. */
export type Command = { usage: string; parse: (f: Flags) => Run };

export const COMMANDS: Record<string, Command> = {
  'create-user': {
    usage: 'create-user --email E --password P [--name N] [--admin]',
    parse: (f) => {
      const email = f.required('email');
      const password = f.required('password');
      const name = f.string('name');
      const admin = f.bool('admin');
      f.done();
      return async (db) => {
        const user = await createUserAction(db, {
          actor: CLI,
          email,
          password,
          name: name ?? null,
          role: admin ? 'admin' : 'user',
        });
        return { json: { id: user.id, email: user.email, role: user.role } };
      };
    },
  },

  grant: {
    usage: 'grant --email E|--team N --credits N --kind payg|promo [--expires ISO] [--note T] [--at ISO]',
    parse: (f) => {
      const owner = ownerFlag(f, 'grant');
      const units = f.credits('credits');
      const kind = f.oneOf('kind', ['payg', 'promo'] as const);
      const expiresAt = f.date('expires');
      const note = f.string('note');
      const now = f.date('at') ?? new Date();
      f.done();
      // Checked before the database is opened (a usage error); the ledger applies the same rule.
      const expiryProblem = grantExpiryProblem(kind, expiresAt, now);
      if (expiryProblem) throw new UsageError(`--expires: ${expiryProblem}`);
      return async (db) => {
        const lot = await grantCreditsAction(db, {
          actor: CLI,
          ...ownerTarget(owner),
          units,
          kind,
          expiresAt: expiresAt ?? null,
          note: note ?? null,
          now,
        });
        return {
          json: {
            lotId: lot.id,
            kind: lot.kind,
            credits: credits(lot.amount),
            effectiveAt: iso(lot.effectiveAt),
            expiresAt: iso(lot.expiresAt),
          },
        };
      };
    },
  },

  subscribe: planCommand('subscribe', startPlanAction),

  'change-plan': planCommand('change-plan', changePlanAction),

  cancel: {
    usage: 'cancel --email E|--team N [--at ISO]',
    parse: (f) => {
      const owner = ownerFlag(f, 'cancel');
      const now = f.date('at') ?? new Date();
      f.done();
      return async (db) => {
        const sub = await cancelPlanAction(db, { actor: CLI, ...ownerTarget(owner), now });
        return { json: subscriptionJson(sub) };
      };
    },
  },

  debit: {
    usage: 'debit --email E --credits N [--note T] [--at ISO]',
    parse: (f) => {
      const email = f.required('email');
      const units = f.credits('credits');
      const note = f.string('note');
      const now = f.date('at') ?? new Date();
      f.done();
      return async (db) => {
        const result = await debitCreditsAction(db, { actor: CLI, user: { email }, units, note: note ?? null, now });
        if (!result.ok)
          throw new CommandError(
            `Not enough credits: ${credits(result.available)} available, ${credits(units)} asked; nothing was taken.`,
          );
        return {
          json: {
            debited: credits(units),
            from: result.takes.map((t) => ({ lotId: t.lotId, credits: credits(t.units) })),
          },
        };
      };
    },
  },

  'process-due': {
    usage: 'process-due [--at ISO] [--hold-timeout-min M]',
    parse: (f) => {
      const now = f.date('at') ?? new Date();
      const minutes = f.string('hold-timeout-min');
      f.done();
      const holdTimeoutMs = minutes === undefined ? undefined : Number(minutes) * 60_000;
      if (holdTimeoutMs !== undefined && !(holdTimeoutMs > 0))
        throw new UsageError('--hold-timeout-min must be a positive number of minutes.');
      return async (db, env) => ({
        json: { at: iso(now), ...(await processDue(db, { now, holdTimeoutMs: holdTimeoutMs ?? env.holdTimeoutMs })) },
      });
    },
  },

  balance: {
    usage: 'balance --email E|--team N [--at ISO]',
    parse: (f) => {
      const owner = ownerFlag(f, 'balance');
      const now = f.date('at') ?? new Date();
      f.done();
      return async (db) => {
        const ref =
          owner.team !== undefined
            ? { teamId: await teamIdByName(db, owner.team) }
            : { userId: await userIdByEmail(db, owner.email!) };
        return { json: balanceJson(await balance(db, { ...ref, now })) };
      };
    },
  },

  'api-key create': {
    usage: 'api-key create --email E [--name N]',
    parse: (f) => {
      const email = f.required('email');
      const name = f.string('name') ?? 'CLI key';
      f.done();
      return async (db) => {
        const userId = await userIdByEmail(db, email);
        const key = await audited(
          db,
          (tx) => createApiKey(tx, { userId, name }),
          (k) => ({
            actorId: null,
            action: 'api_key.create',
            targetUserId: userId,
            details: { apiKeyId: k.id, prefix: k.prefix, via: 'cli' },
          }),
        );
        return { json: { id: key.id, key: key.key, name: key.name } };
      };
    },
  },

  'api-key revoke': {
    usage: 'api-key revoke --id ID',
    parse: (f) => {
      const id = f.required('id');
      f.done();
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
        throw new UsageError(`--id must be an API key id (a UUID), got "${id}".`);
      return async (db) => {
        const key = await db.transaction(async (tx) => {
          const k = await revokeApiKey(tx, { id });
          if (k)
            await writeAudit(tx, {
              actorId: null,
              action: 'api_key.revoke',
              targetUserId: k.userId,
              details: { apiKeyId: k.id, via: 'cli' },
            });
          return k;
        });
        if (!key) throw new CommandError(`No API key with the id ${id}.`);
        return { json: { id: key.id, revokedAt: iso(key.revokedAt) } };
      };
    },
  },

  ledger: {
    usage: 'ledger --email E [--limit N]',
    parse: (f) => {
      const email = f.required('email');
      const limit = f.integer('limit', 1000);
      f.done();
      return async (db) => {
        const entries = await history(db, { userId: await userIdByEmail(db, email), limit });
        return {
          json: entries.map((e) => ({
            at: iso(e.at),
            type: e.type,
            credits: credits(e.units),
            lot: e.lotKind,
            lotId: e.lotId,
            note: e.note,
          })),
        };
      };
    },
  },

  reconcile: {
    usage: 'reconcile',
    parse: (f) => {
      f.done();
      return async (db) => {
        const report = await reconcile(db);
        return { json: report, exitCode: report.ok ? 0 : 1 };
      };
    },
  },
};

export { LedgerError };

/** `subscribe` and `change-plan` differ only in the action they run. */
function planCommand(
  name: 'subscribe' | 'change-plan',
  action: typeof startPlanAction | typeof changePlanAction,
): Command {
  return {
    usage: `${name} --email E|--team N --monthly-credits N [--at ISO]`,
    parse: (f) => {
      const owner = ownerFlag(f, name);
      const monthlyUnits = f.credits('monthly-credits');
      const now = f.date('at') ?? new Date();
      f.done();
      return async (db) => {
        const sub = await action(db, { actor: CLI, ...ownerTarget(owner), monthlyUnits, now });
        return { json: subscriptionJson(sub) };
      };
    },
  };
}
