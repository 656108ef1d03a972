/**
 * `hotplug-lens simulate SCENARIO --out DIR`: writes the guest, QEMU and host logs a scenario
 * describes (src/core/scenario/README.md) to DIR/guest.log, DIR/qemu.log and DIR/host.log.
 * All three files are always written, empty when nothing went to that log, so that a DIR
 * reused from an earlier run never mixes old files with new ones.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogName } from '../../core/scenario/logs';
import { parseScenario, ScenarioError } from '../../core/scenario/parse';
import { simulate, type SimulationResult } from '../../core/scenario/simulate';
import type { Scenario } from '../../core/scenario/types';
import { InputError } from '../../node/inputs';
import { parseCommandLine } from '../args';
import { visible } from '../format/visible';
import { standardInput } from '../open-inputs';
import { print } from '../output';
import { UsageError } from '../usage';

const LOGS: readonly LogName[] = ['guest', 'qemu', 'host'];

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

async function readScenario(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Uint8Array[] = [];
    for await (const chunk of (await standardInput()).open()) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${file}: no such file` : `${file}: ${(error as Error).message}`);
  }
}

function summary(dir: string, result: SimulationResult): string {
  const files = LOGS.map((log) => `${join(dir, `${log}.log`)} (${result.lines[log]} lines)`).join(', ');
  const notes: string[] = [];
  if (result.broken) notes.push(`device marked broken (${result.broken.errno}) at scenario line ${result.broken.line}`);
  if (result.stop) notes.push(`VM stopped at scenario line ${result.stop.line}: ${result.stop.reason}`);
  return `${visible(`simulate: wrote ${files}${notes.map((n) => `; ${n}`).join('')}`)}\n`;
}

export async function runSimulate(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { out: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('simulate needs one SCENARIO file (or - for standard input)');
  if (values.out === undefined || values.out === '') throw new UsageError('simulate needs --out DIR');
  const [file] = positionals;
  const dir = values.out;
  let scenario: Scenario;
  try {
    scenario = parseScenario(await readScenario(file));
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    process.stderr.write(`${visible(`${file === '-' ? '<stdin>' : file}:${error.line}: ${error.message}`)}\n`);
    return 2;
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new InputError(`${dir}: ${(error as Error).message}`);
  }
  const files = Object.fromEntries(LOGS.map((log) => [log, new LogFile(join(dir, `${log}.log`))])) as Record<LogName, LogFile>;
  const run = simulate(scenario);
  let step = run.next();
  while (!step.done) {
    for (const log of LOGS) if (step.value[log] !== '') await files[log].write(step.value[log]);
    step = run.next();
  }
  for (const log of LOGS) await files[log].close();
  print(summary(dir, step.value));
  return 0;
}
