/**
 * The launch configuration of a `hotplug-replay` session (package.json declares the same
 * attributes for launch.json), checked before anything is read: a wrong type or value fails
 * the launch with one sentence naming the attribute (also shown in the Debug Console), never a
 * crash.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CATALOG } from '../core/diagnose/catalog';
import { type Policies, POLICY_DOCS } from '../core/model/policy';
import { boolean, checkFields, describe, integer, isObject, list, object, optional, type Shape, shape, string } from './shapes';

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

/** What `stopOnFinding` may name: a code, a severity, or any finding. */
const FINDING_NAMES = new Set(['any', ...CATALOG.keys(), ...[...CATALOG.values()].map((c) => c.severity)]);

const path = (what: string) => shape(what, (v) => typeof v === 'string');

/** The types of the launch attributes; VS Code adds its own (type, name, __sessionId…), let through. */
const LAUNCH_SHAPES: Record<string, Shape> = {
  logs: optional(list('log file paths', string)),
  scenario: optional(path('the path of a scenario file')),
  policies: optional(object({}, 'an object of policy names and values like { "vmm.discardPrivate": "yes" }')),
  stopOnEntry: optional(boolean),
  stopOnFinding: optional(list('finding codes or severities like ["HPL001", "error"]', string)),
  cwd: optional(path('the path of a folder')),
  startAt: optional(object({ path: string, line: integer }, 'an object { "path": string, "line": number }')),
};

/** The arguments, or what is wrong with them in one sentence. */
export function checkArgs(args: unknown): CheckedArgs | { error: string } {
  if (args === undefined || args === null) args = {};
  if (!isObject(args)) return { error: `The launch configuration must be an object, not ${describe(args)}.` };
  const problem = checkFields(LAUNCH_SHAPES, args);
  if (problem) return { error: `${problem}.` };
  const a = args as ReplayLaunchArgs;
  const logs = a.logs ?? [];
  if (logs.length === 0 && !a.scenario) return { error: 'Nothing to replay: give "logs" (the guest, QEMU and host logs of one run) or a "scenario" file.' };
  const unknown = (a.stopOnFinding ?? []).find((f) => !FINDING_NAMES.has(f));
  if (unknown !== undefined) return { error: `"stopOnFinding" takes finding codes (HPL001, …), severities (error, warning, info) or "any", not "${unknown}".` };
  const policies: Partial<Policies> = {};
  for (const [name, value] of Object.entries(a.policies ?? {})) {
    const doc = POLICY_DOCS.find((d) => d.name === name);
    if (!doc) return { error: `Unknown policy "${name}" (known: ${POLICY_DOCS.map((d) => d.name).join(', ')}).` };
    if (typeof value !== 'string' || !doc.values.includes(value)) return { error: `Policy ${name} takes ${doc.values.join(', ')}, not ${typeof value === 'string' ? `"${value}"` : describe(value)}.` };
    (policies as Record<string, string>)[name] = value;
  }
  return {
    logs,
    ...(a.scenario ? { scenario: a.scenario } : {}),
    policies,
    stopOnEntry: a.stopOnEntry === true,
    stopOnFinding: a.stopOnFinding ?? [],
    ...(a.cwd !== undefined ? { cwd: a.cwd } : {}),
    ...(a.startAt ? { startAt: { path: a.startAt.path, line: a.startAt.line } } : {}),
  };
}
