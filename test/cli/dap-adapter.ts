/**
 * The replay debug adapter as the protocol tests start it: dist/debug-adapter.js as a process,
 * the bundled example it replays, and a raw client that writes whatever bytes a test wants
 * (DebugClient only sends well-formed frames) and reads the adapter's frames back.
 */
import { strict as assert } from 'node:assert';
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { frame, FrameReader } from '../../src/debug/frames';
import { ensureBuilt, ROOT } from '../helpers/cli';

export const ADAPTER = join(ROOT, 'dist', 'debug-adapter.js');
export const EXAMPLE = join(ROOT, 'examples', 'tdx-replug-failure');
export const GUEST = join(EXAMPLE, 'guest.log');
export const QEMU = join(EXAMPLE, 'qemu.log');
export const LOGS = [GUEST, QEMU];

/** `npm test` builds first; a bare mocha run after an older build may still lack the adapter. */
export function ensureAdapter(): void {
  ensureBuilt();
  if (!existsSync(ADAPTER)) spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'ignore' });
  assert.ok(existsSync(ADAPTER), `${ADAPTER} is built`);
}

/** A response or an event, as read: the fields a test looks at. */
export type Message = DebugProtocol.ProtocolMessage & { request_seq?: number; event?: string; body?: any };

/** The adapter process driven byte by byte; everything it sends is kept, in order. */
export class RawAdapter {
  readonly process: ChildProcessWithoutNullStreams;
  readonly received: Message[] = [];
  stderr = '';
  private seq = 1;
  private readonly reader = new FrameReader();
  private readonly waiting = new Set<() => void>();

  constructor() {
    this.process = spawn(process.execPath, [ADAPTER]);
    this.process.stdout.on('data', (chunk: Buffer) => {
      for (const item of this.reader.push(chunk)) {
        assert.ok('message' in item, `the adapter sends well-formed frames: ${JSON.stringify(item)}`);
        this.received.push(item.message as Message);
      }
      for (const check of this.waiting) check();
    });
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  write(bytes: string | Buffer): void {
    this.process.stdin.write(bytes);
  }

  /** Sends a request (any command, any arguments) and returns its answer. */
  request(command: string, args?: unknown): Promise<DebugProtocol.Response> {
    const seq = this.seq++;
    this.write(frame({ seq, type: 'request', command, ...(args === undefined ? {} : { arguments: args }) }));
    return this.answerTo(seq);
  }

  answerTo(seq: number): Promise<DebugProtocol.Response> {
    return this.next((m) => m.type === 'response' && m.request_seq === seq, `the answer to request ${seq}`) as Promise<DebugProtocol.Response>;
  }

  /** The first message since `from` (an index into `received`) that `wanted`, waiting for it up to 10 s. */
  next(wanted: (m: Message) => boolean, what: string, from = 0): Promise<Message> {
    return new Promise<Message>((resolve, reject) => {
      const check = () => {
        const found = this.received.slice(from).find(wanted);
        if (!found) return;
        this.waiting.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiting.delete(check);
        reject(new Error(`no ${what} after 10 s (alive: ${this.alive}, stderr: ${this.stderr})`));
      }, 10_000);
      this.waiting.add(check);
      check();
    });
  }

  /** The next event `name` (from message `from` on). */
  event(name: string, from = 0): Promise<DebugProtocol.Event> {
    return this.next((m) => m.type === 'event' && m.event === name, `${name} event`, from) as Promise<DebugProtocol.Event>;
  }

  /** The next stderr output that the adapter sends as an event, from message `from` on. */
  said(text: string, from = 0): Promise<DebugProtocol.Event> {
    const wanted = (m: Message) => m.type === 'event' && m.event === 'output' && m.body?.category === 'stderr' && m.body.output === text;
    return this.next(wanted, `stderr output ${JSON.stringify(text)}`, from) as Promise<DebugProtocol.Event>;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill();
    await exited;
  }
}
