/**
 * The trace a session replays: the launch's log files, or the logs the simulator writes for a
 * scenario. A scenario is simulated on a worker thread (the adapter may run in VS Code's
 * extension host), into a temporary folder that stays while the session lasts, so that the
 * editor can open the logs at the stopped line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { loadTrace, type Trace, unreplayable } from '../core/replay/trace';
import { type Budgets, DEFAULT_BUDGETS } from '../core/scenario/budget';
import { fileSource, InputError } from '../node/inputs';
import { simulateElsewhere } from '../node/simulate-elsewhere';
import type { CheckedArgs } from './args';

/** A reason the session cannot start, for the Debug Console. */
export class LaunchError extends Error {}

/**
 * The whole trace of a replay is in the extension host's memory, about 350 bytes an event of
 * about 100 bytes of log: 64 MiB of logs is about 0.65 M events and 230 MiB, still a trace the
 * replay handles well (its benchmark replays 1 M).
 */
export const REPLAY_BUDGETS: Readonly<Budgets> = { ...DEFAULT_BUDGETS, maxBytes: 64 * 1024 * 1024 };

/**
 * The trace of the launch `args`. A scenario's logs are removed when `lifetime` is aborted
 * (the session ended), or at once when the launch fails; aborting it while the scenario is
 * simulated stops the simulation.
 */
export async function loadSessionTrace(args: CheckedArgs, lifetime: AbortSignal): Promise<Trace> {
  const base = args.cwd ?? process.cwd();
  if (!args.scenario) return readTrace(args.logs.map((l) => resolve(base, l)));
  const file = resolve(base, args.scenario);
  const dir = mkdtempSync(join(tmpdir(), `hotplug-replay-${basename(file, '.scn')}-`));
  const remove = (): void => {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A folder that cannot go (a file still open, on Windows) is left to the system's temp
      // cleaning: the session ends all the same, and an error here would reach the host.
    }
  };
  // At once, also while the worker still writes: it makes no folder, so this one cannot come
  // back, and a stdio adapter may be killed right after the disconnect.
  lifetime.addEventListener('abort', remove, { once: true });
  try {
    const written = await simulateElsewhere({ file, dir, budgets: REPLAY_BUDGETS }, (message) => new LaunchError(message), lifetime);
    return await readTrace(written);
  } catch (error) {
    // Again once the worker is gone: a file it had open may have kept the folder (Windows).
    lifetime.removeEventListener('abort', remove);
    remove();
    throw error;
  }
}

async function readTrace(paths: string[]): Promise<Trace> {
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
