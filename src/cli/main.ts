/** The `hotplug-lens` command line. */
import { InputError } from '../node/inputs';
import { runCheck } from './commands/check';
import { runEvents } from './commands/events';
import { runExplain } from './commands/explain';
import { runModel } from './commands/model';
import { runPolicies } from './commands/policies';
import { runReport } from './commands/report';
import { runSimulate } from './commands/simulate';
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
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command '${command}'`);
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      // Bad usage is reported in one line (usage.ts): the hint goes on the same line.
      const hint = error.message.includes('(see ') ? '' : " (see 'hotplug-lens --help')";
      process.stderr.write(`hotplug-lens: ${error.message}${hint}\n`);
    } else if (error instanceof InputError || String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`hotplug-lens: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(`hotplug-lens: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    }
    process.exitCode = 2;
  },
);
