/**
 * A worker thread that simulates a scenario for a replay launch (simulate-elsewhere.ts): the
 * same parse and simulation as `hotplug-lens simulate`, into the folder it is given.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { parseScenario, ScenarioError } from '../core/scenario/parse';
import { InputError } from './inputs';
import { LOG_NAMES, readScenario, scenarioErrorLine, writeSimulation } from './scenario-files';
import type { SimulateMessage, SimulateRequest } from './simulate-elsewhere';

async function main({ file, dir, budgets }: SimulateRequest): Promise<SimulateMessage> {
  const result = await writeSimulation(parseScenario(await readScenario(file)), dir, budgets);
  return { written: LOG_NAMES.filter((log) => result.lines[log] > 0).map((log) => join(dir, `${log}.log`)) };
}

/** One line for the Debug Console; never a stack trace. */
function describe(file: string, error: Error): string {
  if (error instanceof ScenarioError) return scenarioErrorLine(file, error, (option) => `a replay cannot raise it: write the logs with hotplug-lens simulate ${option} and replay them`);
  if (error instanceof InputError) return error.message;
  return `the simulation failed: ${error.message}`;
}

const request = workerData as SimulateRequest;
main(request).then(
  (message) => parentPort?.postMessage(message),
  (error: Error) => parentPort?.postMessage({ error: describe(request.file, error) } satisfies SimulateMessage),
);
