/** Runs the built command line (dist/cli.js) as a real process. */
import { type ChildProcess, spawn, type SpawnOptions, spawnSync, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the tests');
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot();
export const CLI = join(ROOT, 'dist', 'cli.js');

/** `npm test` builds first; a bare `mocha` run builds only when there is no bundle yet. */
export function ensureBuilt(): void {
  if (existsSync(CLI)) return;
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0 || !existsSync(CLI)) throw new Error(`build failed: ${build.stderr}`);
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv; stdio?: StdioOptions; cli?: string } = {},
): CliResult {
  const result = spawnSync(process.execPath, [options.cli ?? CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    // `input` would take the place of a given standard input.
    input: options.stdio ? undefined : (options.input ?? ''),
    env: options.env ?? process.env,
    stdio: options.stdio,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface CliExit extends CliResult {
  signal: NodeJS.Signals | null;
}

/** Starts the CLI without waiting for it: for tests that act while it runs (signals, closed pipes). */
export function startCli(args: string[], options: SpawnOptions = {}): { child: ChildProcess; exit: Promise<CliExit> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, ...options });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<CliExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, exit };
}
