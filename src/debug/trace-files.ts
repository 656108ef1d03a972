/**
 * The trace a session replays: the launch's log files, or the logs the simulator writes for a
 * scenario (into a temporary folder, so that the editor can open them at the stopped line).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { loadTrace, type Trace, unreplayable } from '../core/replay/trace';
import { parseScenario, ScenarioError } from '../core/scenario/parse';
import { simulate } from '../core/scenario/simulate';
import { fileSource, InputError } from '../node/inputs';
import type { CheckedArgs } from './args';

/** A reason the session cannot start, for the Debug Console. */
export class LaunchError extends Error {}

const LOGS = ['guest', 'qemu', 'host'] as const;

/** Runs the scenario through the simulator; returns the logs it wrote that are not empty. */
export function simulateScenario(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new LaunchError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let scenario;
  try {
    scenario = parseScenario(text);
  } catch (error) {
    if (error instanceof ScenarioError) throw new LaunchError(`${file}:${error.line}: ${error.message}`);
    throw error;
  }
  const parts: Record<(typeof LOGS)[number], string[]> = { guest: [], qemu: [], host: [] };
  const run = simulate(scenario);
  for (let step = run.next(); !step.done; step = run.next()) for (const log of LOGS) if (step.value[log] !== '') parts[log].push(step.value[log]);
  const dir = mkdtempSync(join(tmpdir(), `hotplug-replay-${basename(file, '.scn')}-`));
  const written: string[] = [];
  for (const log of LOGS) {
    if (parts[log].length === 0) continue;
    const path = join(dir, `${log}.log`);
    writeFileSync(path, parts[log].join(''));
    written.push(path);
  }
  return written;
}

export async function loadSessionTrace(args: CheckedArgs): Promise<Trace> {
  const base = args.cwd ?? process.cwd();
  const paths = args.scenario ? simulateScenario(resolve(base, args.scenario)) : args.logs.map((l) => resolve(base, l));
  let trace: Trace;
  try {
    trace = await loadTrace(await Promise.all(paths.map((p) => fileSource(p))));
  } catch (error) {
    if (error instanceof InputError) throw new LaunchError(error.message);
    throw error;
  }
  const why = unreplayable(trace);
  if (why) throw new LaunchError(why);
  return trace;
}
