import { creditsToUnits } from '@bgr/credits';

/** A bad command line: reported as one line on stderr, exit code 2, before anything is opened or written. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  command: string;
  flags: Map<string, string | true>;
}

const TWO_WORD_COMMANDS = new Set([
  'api-key create',
  'api-key revoke',
  'user create',
  'storage copy',
  'team create',
  'team rename',
  'team list',
  'team add-member',
  'team remove-member',
  'team set-cap',
]);
const ALIASES: Record<string, string> = { 'user create': 'create-user' };

/** `<command> [--flag value | --flag=value | --switch] …`; two-word commands such as `api-key create`. */
export function parseArgs(argv: string[]): ParsedArgs {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (!name) throw new UsageError(`"${arg}" is not an option.`);
      if (flags.has(name)) throw new UsageError(`--${name} was given twice.`);
      if (eq !== -1) flags.set(name, arg.slice(eq + 1));
      else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) flags.set(name, argv[++i]!);
      else flags.set(name, true);
    } else if (flags.size === 0) {
      words.push(arg);
    } else {
      throw new UsageError(`Unexpected argument "${arg}".`);
    }
  }
  let command = words.join(' ');
  if (words.length > 1 && !TWO_WORD_COMMANDS.has(command)) throw new UsageError(`Unknown command "${command}".`);
  command = ALIASES[command] ?? command;
  return { command, flags };
}

/** Reads the flags a command accepts; anything else is a usage error. */
export class Flags {
  private readonly used = new Set<string>();
  constructor(
    private readonly flags: Map<string, string | true>,
    private readonly command: string,
  ) {}

  private raw(name: string): string | true | undefined {
    this.used.add(name);
    return this.flags.get(name);
  }

  string(name: string): string | undefined {
    const v = this.raw(name);
    if (v === true) throw new UsageError(`--${name} needs a value.`);
    return v;
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === '') throw new UsageError(`${this.command} needs --${name}.`);
    return v;
  }

  bool(name: string): boolean {
    const v = this.raw(name);
    if (v === undefined) return false;
    if (v === true || v === 'true') return true;
    if (v === 'false') return false;
    throw new UsageError(`--${name} takes no value.`);
  }

  date(name: string): Date | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    // An ISO 8601 date or date-time; a bare date means midnight UTC.
    if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) {
      throw new UsageError(
        `--${name} must be an ISO date or time such as 2027-02-01 or 2027-02-01T12:00:00Z, got "${v}".`,
      );
    }
    const d = new Date(/T|\s/.test(v) && !/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? `${v.replace(' ', 'T')}Z` : v);
    if (Number.isNaN(d.getTime())) throw new UsageError(`--${name} is not a valid date: "${v}".`);
    return d;
  }

  /** Credits as given (0.25 steps), returned as units. */
  credits(name: string): number {
    const v = this.required(name);
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n) || n <= 0)
      throw new UsageError(`--${name} must be a positive number of credits, got "${v}".`);
    try {
      return creditsToUnits(n);
    } catch {
      throw new UsageError(`--${name} must be a multiple of 0.25 credits, got "${v}".`);
    }
  }

  /** Credits as given (0 or more, 0.25 steps) as units, or null for `none`; undefined when absent. */
  cap(name: string): number | null | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (v === 'none') return null;
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n))
      throw new UsageError(`--${name} must be a number of credits (0 or more) or none, got "${v}".`);
    try {
      return creditsToUnits(n);
    } catch {
      throw new UsageError(`--${name} must be a multiple of 0.25 credits, got "${v}".`);
    }
  }

  integer(name: string, fallback: number): number {
    const v = this.string(name);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, got "${v}".`);
    return Number(v);
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T {
    const v = this.required(name);
    if (!values.includes(v as T)) throw new UsageError(`--${name} must be one of ${values.join(', ')}, got "${v}".`);
    return v as T;
  }

  /** Call after reading: rejects options this command does not know. */
  done(): void {
    for (const name of this.flags.keys()) {
      if (!this.used.has(name)) throw new UsageError(`${this.command} does not take --${name}.`);
    }
  }
}
