/**
 * `.hotplug-lens.json`: the logs of one system run (guest, QEMU, host) that belong together.
 * Either one run, `{ "guest": "guest.log", "qemu": "qemu.log", "host": "host.log" }` (each a
 * path or a list of paths, or `"files": [...]`), or `{ "runs": [ run, ... ] }`. Paths are
 * relative to the file's folder. Parsing is pure so that it is tested without VS Code.
 */

export const RUN_FILE_NAME = '.hotplug-lens.json';

export interface RunSpec {
  name?: string;
  /** Paths relative to the run file's folder, guest first, then QEMU, then host. */
  files: string[];
}

const ROLES = ['guest', 'qemu', 'host', 'files'] as const;

/** A problem with one log path of a run file: `entry` is the path as written, for underlining it. */
export class RunFileEntryError extends Error {
  constructor(
    readonly entry: string,
    message: string,
  ) {
    super(message);
  }
}

function paths(value: unknown, where: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && p.trim() !== '')) {
    throw new Error(`${where} must be a path or a list of paths`);
  }
  for (const p of list as string[]) {
    // A run file is workspace content, and Restricted Mode reads it too: it names logs beside it, never elsewhere.
    if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\')) throw new RunFileEntryError(p, `${where}: "${p}" must be relative to the run file's folder`);
    if (p.includes('\0')) throw new RunFileEntryError(p, `${where}: "${p.replace(/\0/g, '\\0')}" holds a NUL character`);
  }
  return list as string[];
}

function run(value: unknown, where: string): RunSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where} must be an object`);
  const record = value as Record<string, unknown>;
  const files = ROLES.flatMap((role) => (record[role] === undefined ? [] : paths(record[role], `${where}.${role}`)));
  if (files.length === 0) throw new Error(`${where} lists no logs (give "guest", "qemu", "host" or "files")`);
  const name = record.name;
  if (name !== undefined && typeof name !== 'string') throw new Error(`${where}.name must be a string`);
  return { ...(name ? { name } : {}), files };
}

/** The runs a run file lists; throws with a message that names the bad field. */
export function parseRunFile(text: string): RunSpec[] {
  let json: unknown;
  try {
    // Editors on Windows save JSON with a byte order mark, which JSON.parse does not take.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json === 'object' && json !== null && 'runs' in json) {
    const runs = (json as { runs: unknown }).runs;
    if (!Array.isArray(runs) || runs.length === 0) throw new Error('"runs" must be a non-empty list');
    return runs.map((r, i) => run(r, `runs[${i}]`));
  }
  return [run(json, 'the run')];
}
