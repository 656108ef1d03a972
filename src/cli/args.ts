/** Command lines read the same way by every command, with every mistake said in one line. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs`, with its errors as one-line `UsageError`s. A negative number after an option
 * that takes a value (`--max-line-bytes -5`) is that option's value, so that its range check
 * can name it, not a puzzle about an ambiguous option.
 */
export function parseCommandLine<const T extends Options>(argv: string[], options: T) {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const takesValue = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string';
    if (takesValue && next !== undefined && /^-\d/.test(next)) args.push(`${arg}=${argv[++i]}`);
    else args.push(arg);
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    if (!String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) throw error;
    throw new UsageError((error as Error).message.split('\n').join(' '));
  }
}

export interface IntegerRange {
  min: number;
  max: number;
}

/** The whole number an option was given, checked against its range; undefined when it was not given. */
export function integerOption(name: string, text: string | undefined, range: IntegerRange): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw new UsageError(`--${name} takes a whole number from ${range.min} to ${range.max}, not '${text}'`);
  }
  return value;
}

/** `--max-line-bytes`: a line becomes one string, and strings stop well short of a GiB. */
export const LINE_BYTES: IntegerRange = { min: 1, max: 256 << 20 };
