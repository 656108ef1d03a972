/**
 * A scenario read from a file and simulated into DIR/guest.log, DIR/qemu.log and DIR/host.log:
 * what `hotplug-lens simulate` does, and what the replay's simulate worker does for a launch.
 * All three files are always written, empty when nothing went to that log, so that a DIR
 * reused from an earlier run never mixes old files with new ones.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { drain } from '../core/drain';
import { BudgetError, type BudgetName, type Budgets } from '../core/scenario/budget';
import type { LogName } from '../core/scenario/logs';
import type { ScenarioError } from '../core/scenario/parse';
import { simulate, type SimulationResult } from '../core/scenario/simulate';
import type { Scenario } from '../core/scenario/types';
import { InputError } from './inputs';

export const LOG_NAMES: readonly LogName[] = ['guest', 'qemu', 'host'];

/** The `hotplug-lens simulate` option that sets each budget. */
const BUDGET_OPTIONS: Readonly<Record<BudgetName, string>> = { steps: '--max-steps N', bytes: '--max-bytes SIZE' };

/**
 * `FILE:LINE: message`, as a scenario error is reported; a budget that ran out adds `raise`
 * of the option that sets it (how to get further).
 */
export function scenarioErrorLine(file: string, error: ScenarioError, raise: (option: string) => string): string {
  const name = file === '-' ? '<stdin>' : file;
  return `${name}:${error.line}: ${error.message}${error instanceof BudgetError ? `; ${raise(BUDGET_OPTIONS[error.budget])}` : ''}`;
}

/** One output file, written with back-pressure: a chunk is handed on only when the last one has drained. */
class LogFile {
  private readonly stream: WriteStream;
  private error?: Error;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
    // Open and write errors arrive as events; they are reported at the next write or at close.
    this.stream.on('error', (error: Error) => {
      this.error ??= error;
    });
  }

  async write(text: string): Promise<void> {
    this.check();
    if (!this.stream.write(text)) await this.settle(once(this.stream, 'drain'));
  }

  async close(): Promise<void> {
    this.check();
    this.stream.end();
    await this.settle(once(this.stream, 'finish'));
  }

  private async settle(event: Promise<unknown>): Promise<void> {
    try {
      await event;
    } catch {
      // `once` rejects with the stream's error, which the listener has kept.
    }
    this.check();
  }

  private check(): void {
    if (this.error) throw new InputError(`${this.path}: ${this.error.message}`);
  }
}

/** The text of the scenario file; an `InputError` when it cannot be read. */
export async function readScenario(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${file}: no such file` : `${file}: ${(error as Error).message}`);
  }
}

/**
 * Simulates `scenario` into the existing folder `dir` (never made here: a replay's folder,
 * removed when its session ends, must not come back). A `BudgetError` leaves the files holding
 * what was written until then, closed.
 */
export async function writeSimulation(scenario: Scenario, dir: string, budgets: Budgets): Promise<SimulationResult> {
  const files = Object.fromEntries(LOG_NAMES.map((log) => [log, new LogFile(join(dir, `${log}.log`))])) as Record<LogName, LogFile>;
  try {
    return await drain(simulate(scenario, budgets), async (chunk) => {
      for (const log of LOG_NAMES) if (chunk[log] !== '') await files[log].write(chunk[log]);
    });
  } finally {
    for (const log of LOG_NAMES) await files[log].close();
  }
}
