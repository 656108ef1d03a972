/**
 * `hotplug-lens simulate SCENARIO --out DIR [--max-steps N] [--max-bytes SIZE]`: writes the
 * guest, QEMU and host logs a scenario describes (src/core/scenario/README.md) to
 * DIR/guest.log, DIR/qemu.log and DIR/host.log, within the simulation's budgets.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Budgets, DEFAULT_BUDGETS } from '../../core/scenario/budget';
import { parseCount, parseSize } from '../../core/scenario/numbers';
import { parseScenario, ScenarioError } from '../../core/scenario/parse';
import type { SimulationResult } from '../../core/scenario/simulate';
import { InputError } from '../../node/inputs';
import { LOG_NAMES, readScenario, scenarioErrorLine, writeSimulation } from '../../node/scenario-files';
import { parseCommandLine } from '../args';
import { visible } from '../format/visible';
import { standardInput } from '../open-inputs';
import { print } from '../output';
import { UsageError } from '../usage';

/** Below this a boot alone could run out of bytes, before the scenario's first statement. */
const MIN_BYTES = 64 * 1024;

function summary(dir: string, result: SimulationResult): string {
  const files = LOG_NAMES.map((log) => `${join(dir, `${log}.log`)} (${result.lines[log]} lines)`).join(', ');
  const notes: string[] = [];
  if (result.broken) notes.push(`device marked broken (${result.broken.errno}) at scenario line ${result.broken.line}`);
  if (result.stop) notes.push(`VM stopped at scenario line ${result.stop.line}: ${result.stop.reason}`);
  return `${visible(`simulate: wrote ${files}${notes.map((n) => `; ${n}`).join('')}`)}\n`;
}

function budgets(maxSteps: string | undefined, maxBytes: string | undefined): Budgets {
  const steps = maxSteps === undefined ? DEFAULT_BUDGETS.maxSteps : parseCount(maxSteps);
  if (steps === undefined || steps < 1) throw new UsageError('--max-steps needs a positive integer');
  const bytes = maxBytes === undefined ? DEFAULT_BUDGETS.maxBytes : parseSize(maxBytes);
  if (bytes === undefined || bytes < MIN_BYTES) throw new UsageError('--max-bytes needs a size of at least 64K (like 4G)');
  return { maxSteps: steps, maxBytes: bytes };
}

async function scenarioText(file: string): Promise<string> {
  if (file !== '-') return readScenario(file);
  const chunks: Uint8Array[] = [];
  for await (const chunk of (await standardInput()).open()) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new InputError(`${dir}: ${(error as Error).message}`);
  }
}

export async function runSimulate(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { out: { type: 'string' }, 'max-steps': { type: 'string' }, 'max-bytes': { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('simulate needs one SCENARIO file (or - for standard input)');
  if (values.out === undefined || values.out === '') throw new UsageError('simulate needs --out DIR');
  const limits = budgets(values['max-steps'], values['max-bytes']);
  const [file] = positionals;
  const dir = values.out;
  try {
    const scenario = parseScenario(await scenarioText(file));
    await makeDir(dir);
    const result = await writeSimulation(scenario, dir, limits);
    print(summary(dir, result));
    return 0;
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    process.stderr.write(`${visible(scenarioErrorLine(file, error, (option) => `raise it with ${option}`))}\n`);
    return 2;
  }
}
