/**
 * The "Hotplug Lens" view: logs → devices → memory blocks → subblocks, each subblock with the
 * state the logs left it in and the findings on it. Selecting an item opens the line that set
 * that state.
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/diagnose/finding';
import type { DeviceSnapshot } from '../core/model/device';
import { TUPLES, tupleText } from '../core/model/state';
import { hexString } from '../core/text/hex';
import type { AnalysisService, RunResult } from './analysis-service';

type Node =
  | { kind: 'input'; result: RunResult; input: number }
  | { kind: 'device'; result: RunResult; input: number; device: string }
  | { kind: 'block'; result: RunResult; state: DeviceSnapshot; block: bigint; start: bigint; end: bigint; first: number; last: number }
  | { kind: 'subblock'; result: RunResult; state: DeviceSnapshot; index: number };

const UNKNOWN_TUPLE = 0;

function openCommand(result: RunResult, input: number, line: number): vscode.Command | undefined {
  const uri = result.run.uris[input];
  if (!uri || line < 1) return undefined;
  // Selecting with the arrow keys shows each line; the keyboard stays in the tree.
  return { title: 'Open Line', command: 'vscode.open', arguments: [uri, { selection: new vscode.Range(line - 1, 0, line - 1, 0), preserveFocus: true }] };
}

function findingsIn(result: RunResult, device: string, start: bigint, end: bigint): Finding[] {
  return result.analysis.findings.filter((f) => f.device === device && f.range && f.range.start < end && f.range.end > start);
}

function codes(findings: Finding[]): string {
  return [...new Set(findings.map((f) => f.code))].join(' ');
}

export class StateTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Per result: the devices each input has changes for. */
  private readonly devicesByInput = new WeakMap<RunResult, Map<number, string[]>>();

  constructor(private readonly service: AnalysisService) {
    service.onDidAnalyze(() => this.changed.fire(undefined));
    service.onDidForget(() => this.changed.fire(undefined));
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.service.allResults().flatMap((result) => result.run.uris.map((_, input) => ({ kind: 'input' as const, result, input })));
    switch (node.kind) {
      case 'input':
        return (this.devices(node.result).get(node.input) ?? []).map((device) => ({ kind: 'device' as const, result: node.result, input: node.input, device }));
      case 'device':
        return this.blocks(node.result, node.device);
      case 'block':
        return Array.from({ length: node.last - node.first }, (_, k) => node.first + k)
          .filter((i) => node.state.tuples[i] !== UNKNOWN_TUPLE)
          .map((index) => ({ kind: 'subblock' as const, result: node.result, state: node.state, index }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'input': {
        const uri = node.result.run.uris[node.input];
        const mine = node.result.analysis.findings.filter((f) => f.location.input === node.input);
        const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${mine.length} finding${mine.length === 1 ? '' : 's'}${node.result.run.uris.length > 1 ? ` · ${node.result.run.name}` : ''}`;
        item.command = { title: 'Open', command: 'vscode.open', arguments: [uri, { preserveFocus: true }] };
        item.contextValue = 'log';
        return item;
      }
      case 'device': {
        const g = node.result.analysis.devices.find((d) => d.device === node.device);
        const item = new vscode.TreeItem(node.device, vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('server');
        if (g) {
          item.description = `${g.startAddress !== undefined ? `start ${hexString(g.startAddress)} · ` : ''}subblock ${hexString(g.subblockSize)} · ${g.geometry}`;
          item.tooltip = g.inferredFrom.length > 0 ? `Inferred: ${g.inferredFrom.join('; ')}` : 'Geometry as logged';
        }
        return item;
      }
      case 'block': {
        const { state, start, end } = node;
        const found = findingsIn(node.result, state.device, start, end);
        const item = new vscode.TreeItem(`memory block ${node.block}`, vscode.TreeItemCollapsibleState.Collapsed);
        const states = new Set<number>();
        for (let i = node.first; i < node.last; i++) if (state.tuples[i] !== UNKNOWN_TUPLE) states.add(state.tuples[i]);
        item.description = `[${hexString(start)}, ${hexString(end)})${found.length ? ` · ${codes(found)}` : ''}${states.size === 1 ? ` · ${tupleText(TUPLES[[...states][0]])}` : ` · ${states.size} states`}`;
        item.iconPath = new vscode.ThemeIcon(found.length > 0 ? 'error' : 'symbol-array');
        return item;
      }
      case 'subblock': {
        const { state, index } = node;
        const start = BigInt(state.base) + BigInt(index) * BigInt(state.subblockSize);
        const found = findingsIn(node.result, state.device, start, start + BigInt(state.subblockSize));
        const item = new vscode.TreeItem(hexString(start), vscode.TreeItemCollapsibleState.None);
        item.description = `${tupleText(TUPLES[state.tuples[index]])}${found.length ? ` · ${codes(found)}` : ''}`;
        item.tooltip = `dev use attr accept backing: ${tupleText(TUPLES[state.tuples[index]])}\nLast set by line ${state.lastLine[index]}`;
        item.iconPath = new vscode.ThemeIcon(found.length > 0 ? 'error' : 'circle-small');
        item.command = openCommand(node.result, state.lastInput[index], state.lastLine[index]);
        return item;
      }
    }
  }

  private devices(result: RunResult): Map<number, string[]> {
    let map = this.devicesByInput.get(result);
    if (!map) {
      const pairs = new Map<number, Set<number>>();
      const c = result.history.columns;
      for (let k = 0; k < c.count; k++) {
        let set = pairs.get(c.input[k]);
        if (!set) pairs.set(c.input[k], (set = new Set()));
        set.add(c.device[k]);
      }
      map = new Map([...pairs].map(([input, set]) => [input, [...set].map((d) => c.devices[d])]));
      this.devicesByInput.set(result, map);
    }
    return map;
  }

  /** The memory blocks of a device that the logs say anything about. */
  private blocks(result: RunResult, device: string): Node[] {
    const state = result.analysis.states.find((s) => s.device === device);
    const g = result.analysis.devices.find((d) => d.device === device);
    if (!state || !g) return [];
    const base = BigInt(state.base);
    const sb = BigInt(state.subblockSize);
    const out: Node[] = [];
    for (let i = 0; i < state.tuples.length; ) {
      const block = (base + BigInt(i) * sb) / g.memoryBlockSize;
      const start = block * g.memoryBlockSize;
      const end = start + g.memoryBlockSize;
      // The first subblock of the next memory block (the store need not start on a block boundary).
      const last = Math.min(state.tuples.length, Number((end - base + sb - 1n) / sb));
      let known = false;
      for (let k = i; k < last && !known; k++) known = state.tuples[k] !== UNKNOWN_TUPLE;
      if (known) out.push({ kind: 'block', result, state, block, start, end, first: i, last });
      i = last;
    }
    return out;
  }
}
