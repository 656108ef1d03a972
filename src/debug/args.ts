/**
 * The launch configuration of a `hotplug-replay` session (package.json declares the same
 * attributes for launch.json), checked before anything is read: a wrong type is a message in
 * the Debug Console, not a crash.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { type Policies, POLICY_DOCS } from '../core/model/policy';

export interface ReplayLaunchArgs extends DebugProtocol.LaunchRequestArguments {
  /** The logs of one run (guest dmesg, QEMU trace, host dmesg), relative to `cwd`. */
  logs?: string[];
  /** A scenario file: the simulator writes its logs, which are then replayed. */
  scenario?: string;
  /** Policies taken as given (like `check --policy`). */
  policies?: Record<string, string>;
  stopOnEntry?: boolean;
  /** Stop after an event that drafts one of these: codes (HPL001), severities (error), or any. */
  stopOnFinding?: string[];
  /** Where relative paths start; the workspace folder when VS Code starts the session. */
  cwd?: string;
  /** Start stopped after the first event on this line (the timeline's "Replay to here"). */
  startAt?: { path: string; line: number };
}

export interface CheckedArgs {
  logs: string[];
  scenario?: string;
  policies: Partial<Policies>;
  stopOnEntry: boolean;
  stopOnFinding: string[];
  cwd?: string;
  startAt?: { path: string; line: number };
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The arguments, or what is wrong with them in one sentence. */
export function checkArgs(args: ReplayLaunchArgs): CheckedArgs | { error: string } {
  if (args.logs !== undefined && !isStrings(args.logs)) return { error: '"logs" must be a list of log file paths.' };
  if (args.scenario !== undefined && typeof args.scenario !== 'string') return { error: '"scenario" must be the path of a scenario file.' };
  const logs = args.logs ?? [];
  if (logs.length === 0 && !args.scenario) return { error: 'Nothing to replay: give "logs" (the guest, QEMU and host logs of one run) or a "scenario" file.' };
  if (args.stopOnFinding !== undefined && !isStrings(args.stopOnFinding)) return { error: '"stopOnFinding" must be a list like ["HPL001", "error"].' };
  const policies: Partial<Policies> = {};
  for (const [name, value] of Object.entries(args.policies ?? {})) {
    const doc = POLICY_DOCS.find((d) => d.name === name);
    if (!doc) return { error: `Unknown policy "${name}" (known: ${POLICY_DOCS.map((d) => d.name).join(', ')}).` };
    if (!doc.values.includes(value)) return { error: `Policy ${name} takes ${doc.values.join(', ')}, not "${value}".` };
    (policies as Record<string, string>)[name] = value;
  }
  const startAt = args.startAt;
  if (startAt !== undefined && (typeof startAt.path !== 'string' || typeof startAt.line !== 'number')) return { error: '"startAt" must be { "path": string, "line": number }.' };
  return {
    logs,
    ...(args.scenario ? { scenario: args.scenario } : {}),
    policies,
    stopOnEntry: args.stopOnEntry === true,
    stopOnFinding: args.stopOnFinding ?? [],
    ...(typeof args.cwd === 'string' ? { cwd: args.cwd } : {}),
    ...(startAt ? { startAt } : {}),
  };
}
