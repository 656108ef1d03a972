/**
 * The breakpoints a replay session holds, as stop rules for the cursor: line breakpoints (with
 * optional conditions) on any input, function breakpoints whose name is an expression (stop
 * when it becomes true), data breakpoints on a subblock's state, and finding filters (the
 * exception breakpoints and the launch's `stopOnFinding`).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CATALOG } from '../core/diagnose/catalog';
import { type EvalScope, ExprError, Expression, isRecord } from '../core/replay/expr/evaluate';
import { becomesTrueRule, changeRule, findingFilter, findingRule, lineKey, lineRule, type StopRule } from '../core/replay/search';
import { hexString } from '../core/text/hex';
import type { LineIndex } from './line-index';

/** The exception breakpoint filters: one per severity, and one for chosen codes. */
export const FINDING_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'error', label: 'Error findings', description: 'Stop after an event that drafts a finding of severity error (HPL001, HPL004, …).', default: false },
  { filter: 'warning', label: 'Warning findings', description: 'Stop after an event that drafts a warning (HPL005, HPL009, …).', default: false },
  { filter: 'info', label: 'Info findings', description: 'Stop after an event that drafts an info finding (HPL015, HPL016).', default: false },
  {
    filter: 'codes',
    label: 'Findings with these codes',
    description: 'Stop after an event that drafts a finding with one of the codes given as the condition.',
    default: false,
    supportsCondition: true,
    conditionDescription: `Codes separated by commas, e.g. HPL001, HPL005 (known: ${[...CATALOG.keys()].join(', ')})`,
  },
];

/** A data breakpoint's target: a subblock's whole state or one component of it. */
export interface DataTarget {
  device: string;
  address: bigint;
  component?: string;
}

export function dataId(t: DataTarget): string {
  return `sb:${t.device}:${hexString(t.address)}${t.component ? `:${t.component}` : ''}`;
}

export function parseDataId(id: string): DataTarget | undefined {
  const m = /^sb:([^:]+):(0x[0-9a-f]+)(?::(\w+))?$/.exec(id);
  return m ? { device: m[1], address: BigInt(m[2]), ...(m[3] ? { component: m[3] } : {}) } : undefined;
}

export class Breakpoints {
  /** Per input: line key → condition. */
  private readonly lines = new Map<number, Map<string, Expression | undefined>>();
  private functions: Expression[] = [];
  private data: DataTarget[] = [];
  private filters: string[] = [];

  constructor(
    private readonly index: LineIndex,
    private readonly scope: EvalScope,
    /** From the launch: stop on these findings whatever the filters say. */
    private readonly stopOnFinding: readonly string[],
  ) {}

  setLines(path: string, requested: readonly DebugProtocol.SourceBreakpoint[]): DebugProtocol.Breakpoint[] {
    const input = this.index.inputOf(path);
    const kept = new Map<string, Expression | undefined>();
    const answers = requested.map((bp): DebugProtocol.Breakpoint => {
      if (input === undefined) return { verified: false, message: 'This file is not one of the replayed logs.' };
      const line = this.index.eventLine(input, bp.line);
      if (line === undefined) return { verified: false, line: bp.line, message: 'No event of the replay on this line.' };
      let condition: Expression | undefined;
      if (bp.condition) {
        try {
          condition = new Expression(bp.condition);
        } catch (error) {
          if (!(error instanceof ExprError)) throw error;
          return { verified: false, line: bp.line, message: `Condition: ${error.message}` };
        }
      }
      kept.set(lineKey(input, line), condition);
      return { verified: true, line };
    });
    if (input !== undefined) this.lines.set(input, kept);
    return answers;
  }

  setFunctions(requested: readonly DebugProtocol.FunctionBreakpoint[]): DebugProtocol.Breakpoint[] {
    this.functions = [];
    return requested.map((bp) => {
      try {
        this.functions.push(new Expression(bp.name));
        return { verified: true };
      } catch (error) {
        if (!(error instanceof ExprError)) throw error;
        return { verified: false, message: error.message };
      }
    });
  }

  setData(requested: readonly DebugProtocol.DataBreakpoint[]): DebugProtocol.Breakpoint[] {
    this.data = [];
    return requested.map((bp) => {
      const target = parseDataId(bp.dataId);
      if (!target) return { verified: false, message: `Not a subblock: ${bp.dataId}` };
      this.data.push(target);
      return { verified: true, description: dataId(target) };
    });
  }

  setFilters(args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const codes = (args.filterOptions ?? []).filter((o) => o.filterId === 'codes').flatMap((o) => (o.condition ?? '').split(/[\s,]+/));
    this.filters = [...args.filters.filter((f) => f !== 'codes'), ...codes];
  }

  /** The rules Continue and Reverse Continue run with. */
  rules(): StopRule[] {
    const rules: StopRule[] = [];
    const lines = new Map<string, Expression | undefined>();
    for (const perInput of this.lines.values()) for (const [k, v] of perInput) lines.set(k, v);
    if (lines.size > 0) rules.push(lineRule(lines, this.scope));
    const findings = [...this.stopOnFinding, ...this.filters];
    if (findings.length > 0) rules.push(findingRule(findingFilter(findings)));
    for (const f of this.functions) rules.push(becomesTrueRule(f, this.scope));
    for (const d of this.data) rules.push(changeRule(dataId(d), () => this.read(d)));
    return rules;
  }

  /** The state a data breakpoint watches, undefined while the subblock is unknown to the model. */
  private read(t: DataTarget): unknown {
    const sb = this.scope.functions.sb(t.address, t.device);
    if (!isRecord(sb)) return undefined;
    return t.component ? sb[t.component] : sb.tuple;
  }
}
