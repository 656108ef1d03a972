/**
 * The `hotplug-lens` command line. Whatever goes wrong ends in one line on standard error and
 * exit status 2, never a stack trace (HOTPLUG_LENS_DEBUG=1 adds the stack of an internal error).
 */
import { InputError } from '../node/inputs';
import { runCheck } from './commands/check';
import { runEvents } from './commands/events';
import { runExplain } from './commands/explain';
import { runModel } from './commands/model';
import { runPolicies } from './commands/policies';
import { runReport } from './commands/report';
import { runSimulate } from './commands/simulate';
import { visible } from './format/visible';
import { print, watchStandardStreams } from './output';
import { USAGE, UsageError } from './usage';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  check: runCheck,
  events: runEvents,
  explain: runExplain,
  model: runModel,
  policies: runPolicies,
  report: runReport,
  simulate: runSimulate,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    print(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    print(`${USAGE}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command '${command}'`);
  return run(rest);
}

/** The line an error is reported in: its message's first line (a worker's failure carries its stack). */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return visible(message.split('\n')[0]);
}

function describe(error: unknown): string {
  if (error instanceof UsageError) {
    // Bad usage is reported in one line (usage.ts): the hint goes on the same line.
    const hint = error.message.includes('(see ') ? '' : " (see 'hotplug-lens --help')";
    return `${oneLine(error)}${hint}`;
  }
  if (error instanceof InputError) return oneLine(error);
  const stack = process.env.HOTPLUG_LENS_DEBUG === '1' && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return `internal error: ${oneLine(error)}${stack}`;
}

/** Ends the run now: for errors that arrive outside the command's own promise (event handlers, timers). */
function failNow(error: unknown): void {
  process.stderr.write(`hotplug-lens: ${describe(error)}\n`);
  process.exit(2);
}

process.on('uncaughtException', failNow);
process.on('unhandledRejection', failNow);
watchStandardStreams((message) => failNow(new InputError(message)));

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hotplug-lens: ${describe(error)}\n`);
    process.exitCode = 2;
  },
);
