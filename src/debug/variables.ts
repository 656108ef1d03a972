/**
 * The Variables view of a replay: scopes Event, Devices (→ memory blocks → subblocks → the
 * state tuple's components), Policies and Findings so far, plus the records Watch and the
 * Debug Console evaluate. Every container has a path (`mb:virtio5:33`) and keeps the same
 * reference number for the whole session, so VS Code can tell a changed value from a new one
 * and highlight it; containers of the model's state are read anew at each request.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ReplayCursor } from '../core/replay/cursor';
import { isRecord, showValue, type Value } from '../core/replay/expr/evaluate';
import { basename } from '../core/paths';
import { deviceRecord, eventRecord, findingRecords, memoryBlockRecord, subblockRecord } from '../core/replay/inspect';
import { hexString } from '../core/text/hex';
import { POLICY_DOCS } from '../core/model/policy';

export const SCOPES = { event: 'Event', devices: 'Devices', policies: 'Policies', findings: 'Findings so far' } as const;
/** Memory blocks listed per device at most (a huge region would list thousands). */
const MAX_BLOCKS = 2048;

export class VariableTree {
  private readonly ids = new Map<string, number>();
  private readonly paths: string[] = [''];
  /** Values of evaluated expressions, by path: they do not change with the position. */
  private readonly evaluated = new Map<string, Value>();
  private evaluations = 0;

  constructor(private readonly cursor: () => ReplayCursor) {}

  /** The reference of a container path; the same path always gets the same number. */
  ref(path: string): number {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.paths.push(path) - 1;
      this.ids.set(path, id);
    }
    return id;
  }

  pathOf(ref: number): string | undefined {
    return this.paths[ref];
  }

  scopes(eventIndex: number | undefined): DebugProtocol.Scope[] {
    const scope = (name: string, path: string, expensive = false): DebugProtocol.Scope => ({ name, variablesReference: this.ref(path), expensive });
    return [
      ...(eventIndex !== undefined ? [scope(SCOPES.event, `event:${eventIndex}`)] : []),
      scope(SCOPES.devices, 'devices'),
      scope(SCOPES.policies, 'policies'),
      scope(SCOPES.findings, 'findings'),
    ];
  }

  /** A value from Watch, hover or the console: a record or list gets a reference of its own. */
  forValue(value: Value): { result: string; variablesReference: number } {
    if (!isRecord(value) && !Array.isArray(value)) return { result: showValue(value), variablesReference: 0 };
    const path = `eval:${++this.evaluations}`;
    this.evaluated.set(path, value);
    return { result: showValue(value), variablesReference: this.ref(path) };
  }

  variables(ref: number): DebugProtocol.Variable[] {
    const path = this.paths[ref];
    if (path === undefined) return [];
    const remembered = this.evaluated.get(path);
    if (remembered !== undefined) return this.valueChildren(remembered, path);
    const c = this.cursor();
    const paths = c.trace.merge.inputs.map((i) => i.path);
    const [kind, ...rest] = path.split(':');
    switch (kind) {
      case 'event': {
        const index = Number(rest[0]);
        const e = c.events[index];
        return e ? this.fields(eventRecord(e, index + 1), path) : [];
      }
      case 'devices':
        return [...c.analyzer.model.devices.keys()].map((id) => this.child(id, deviceRecord(c.analyzer, id) ?? null, `device:${id}`));
      case 'device':
        return this.memoryBlocks(rest[0]);
      case 'mb': {
        const block = memoryBlockRecord(c.analyzer, BigInt(rest[1]), paths, rest[0]);
        const subblocks = (block?.subblocks ?? []) as Value[];
        return subblocks.map((sb) => {
          const address = isRecord(sb) ? (sb.address as bigint) : 0n;
          return this.child(hexString(address), sb, `sb:${rest[0]}:${hexString(address)}`);
        });
      }
      case 'sb':
        return this.fields(subblockRecord(c.analyzer, BigInt(rest[1]), paths, rest[0]) ?? {}, path);
      case 'policies':
        return POLICY_DOCS.map((doc) => {
          const evidence = c.analyzer.policyEvidence.get(doc.name);
          return {
            name: doc.name,
            value: c.analyzer.policies[doc.name],
            type: evidence?.how ?? 'default',
            evaluateName: `policy:${doc.name}`,
            variablesReference: 0,
            presentationHint: { attributes: [] },
          };
        });
      case 'findings':
        return findingRecords(c.analyzer, paths).map((f, i) => this.child(`${f.code} ${basename(String(f.path))}:${f.line}`, f, `finding:${i}`));
      case 'finding':
        return this.fields(findingRecords(c.analyzer, paths)[Number(rest[0])] ?? {}, path);
      default:
        return [];
    }
  }

  /** A device's memory blocks, from its first subblock on. */
  private memoryBlocks(deviceId: string): DebugProtocol.Variable[] {
    const c = this.cursor();
    const d = c.analyzer.model.devices.get(deviceId);
    const covered = d?.covered;
    if (!d || !covered) return [];
    const size = d.describe().memoryBlockSize;
    const out: DebugProtocol.Variable[] = [];
    const paths = c.trace.merge.inputs.map((i) => i.path);
    for (let id = covered.start / size; id * size < covered.end && out.length < MAX_BLOCKS; id++) {
      const block = memoryBlockRecord(c.analyzer, id, paths, deviceId);
      if (block) out.push(this.child(`mb ${id}`, block, `mb:${deviceId}:${id}`));
    }
    return out;
  }

  private child(name: string, value: Value, path: string): DebugProtocol.Variable {
    const container = isRecord(value) || Array.isArray(value);
    return { name, value: showValue(value), variablesReference: container ? this.ref(path) : 0 };
  }

  /** A record's fields, its summary left out (it is the parent's value). */
  private fields(record: Record<string, Value>, path: string): DebugProtocol.Variable[] {
    return this.valueChildren(record, path);
  }

  /** Children of a value: nested records and lists are remembered under their path, so that they expand too. */
  private valueChildren(value: Value, path: string): DebugProtocol.Variable[] {
    const entries: Array<[string, Value]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : isRecord(value) ? Object.entries(value).filter(([k]) => k !== 'summary') : [];
    return entries.map(([k, v]) => {
      const childPath = `${path}.${k}`;
      if (isRecord(v) || Array.isArray(v)) this.evaluated.set(childPath, v);
      return this.child(Array.isArray(value) ? `[${k}]` : k, v, childPath);
    });
  }
}
