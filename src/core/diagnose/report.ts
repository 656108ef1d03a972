/**
 * Drafts → findings grouped under root causes, with the story of each root cause told from
 * the device's size lines and the evidence the findings carry.
 */
import { memoryBlockId } from '../model/geometry';
import type { Geometry } from '../model/geometry';
import type { Ref } from '../model/model';
import type { InputFacts } from './completeness';
import { hexString as hex, sizeText as size } from '../text/hex';
import { codeInfo, type Confidence, type Platform } from './catalog';
import { type Draft, draftMessage, type SizeLine } from './draft';
import { compareFindings, type Finding, lessSure, type RootCause } from './finding';


export interface ReportContext {
  inputs: InputFacts[];
  /** The platform the logs prove: the words of every finding follow it. */
  platform: Platform;
  geometry: (device: string) => Geometry | undefined;
}

function lineOf(ctx: ReportContext, at: Ref, from: number): string {
  return at.input === from ? `line ${at.line}` : `${ctx.inputs[at.input].path}:${at.line}`;
}

/**
 * The device's size lines before `at`, told in order: what the host asked for, and what the
 * device had plugged when it got there. A `plugged size` before any request counts as the
 * size asked for before.
 */
function story(ctx: ReportContext, device: string, at: Ref, lines: readonly SizeLine[]): string | undefined {
  const parts: string[] = [];
  let target: bigint | undefined;
  let shrunk = false;
  let plugged: SizeLine | undefined;
  let told: SizeLine | undefined;
  for (const h of lines) {
    if (h.which === 'plugged') {
      plugged = h;
      if (target === undefined) {
        target = h.size;
        if (h.size > 0n) {
          parts.push(`had ${size(h.size)} plugged at ${lineOf(ctx, h.at, at.input)}`);
          told = h;
        }
      } else if (h.size === target && h.size > 0n && told?.size !== h.size) {
        parts.push(`had ${size(h.size)} plugged at ${lineOf(ctx, h.at, at.input)}`);
        told = h;
      }
      continue;
    }
    if (target !== undefined && h.size === target) continue;
    const where = lineOf(ctx, h.at, at.input);
    if (target !== undefined && h.size < target) {
      parts.push(`was asked to unplug to ${size(h.size)} at ${where}`);
      shrunk = true;
    } else if (target !== undefined || h.size > 0n) {
      const still = shrunk && plugged && plugged.size > 0n ? ` with ${hex(plugged.size)} still plugged` : '';
      parts.push(`was asked to ${shrunk ? 'plug back to' : 'plug'} ${size(h.size)} at ${where}${still}`);
    }
    target = h.size;
  }
  if (parts.length === 0) return undefined;
  const last = parts.pop() as string;
  return `${device} ${parts.length > 0 ? `${parts.join(', ')}, and ${last}` : last}.`;
}

/** The headline of a root cause with several findings. */
function headline(first: Draft, members: Draft[], platform: Platform): string {
  const message = draftMessage(first, platform);
  if (members.length === 1) return message;
  const same = members.filter((d) => d.code === first.code).length;
  const others = members.filter((d) => d.code !== first.code);
  const told = codeInfo(first.code).headline;
  let text = same === 1 ? message : told ? told(same, platform) : `${same} times, first: ${message}`;
  if (others.length > 0) {
    const led = [...new Set(others.map((d) => `${d.code} ${codeInfo(d.code).title}`))].join(', ');
    text += ` Part of the same story: ${led}.`;
  }
  return text;
}

/** What was assumed about a device whose init lines are missing or impossible, in one sentence (JSON has the details). */
function assumedGeometry(g: Geometry): string {
  const parts: string[] = [];
  if (g.startAddress !== undefined) parts.push(`the region starts at ${hex(g.startAddress)}`);
  parts.push(`memory blocks of ${size(g.memoryBlockSize)}`, `subblocks of ${size(g.subblockSize)}`);
  return `The log does not give all of ${g.device}'s geometry: assumed ${parts.join(', ')}.`;
}

function blockOf(ctx: ReportContext, d: Draft): string {
  if (!d.range || !d.device) return '';
  const g = ctx.geometry(d.device);
  if (!g) return '';
  const first = memoryBlockId(d.range.start, g);
  const last = memoryBlockId(d.range.end - 1n, g);
  return first === last ? `memory block ${first}` : `memory blocks ${first}–${last}`;
}

export function buildReport(
  drafts: Draft[],
  ctx: ReportContext,
  omitted: ReadonlyMap<string, { count: number }> = new Map(),
): { findings: Finding[]; rootCauses: RootCause[] } {
  const groups = new Map<string, Draft[]>();
  for (const d of drafts) {
    const list = groups.get(d.group);
    if (list) list.push(d);
    else groups.set(d.group, [d]);
  }
  const rootCauses: RootCause[] = [];
  const findings: Finding[] = [];
  let n = 0;
  for (const [group, members] of groups) {
    n += 1;
    const id = `RC${n}`;
    // The most severe finding names the root cause; a latent warning folded into it does not.
    const first = members.reduce((a, b) => (SEVERITY[codeInfo(b.code).severity] < SEVERITY[codeInfo(a.code).severity] ? b : a));
    const info = codeInfo(first.code);
    const groupFindings = members.map((d) => toFinding(d, id, ctx)).sort(compareFindings);
    for (const f of groupFindings) findings.push(f);
    const confidence = groupFindings.map((f) => f.confidence).reduce((a, b) => (rank(a) <= rank(b) ? a : b));
    const told = first.device ? story(ctx, first.device, first.at, first.sizeHistory ?? []) : undefined;
    const what = headline(first, members, ctx.platform);
    const g = first.device ? ctx.geometry(first.device) : undefined;
    const assumed = g && g.geometry === 'inferred' && first.range ? ` ${assumedGeometry(g)}` : '';
    const needsInput = info.toConfirm?.unlessInput === 'qemu' && !ctx.inputs.some((i) => i.hasQemu);
    rootCauses.push({
      id,
      code: first.code,
      title: info.title,
      cause: first.cause ?? info.cause,
      ...(first.otherCauses ? { otherCauses: first.otherCauses } : {}),
      confidence,
      summary: `${told ? `${told} ${what}` : what}${assumed}`,
      why: info.why(ctx.platform, first.facts as never),
      wouldNotHappenIf: info.wouldNotHappenIf(ctx.platform, first.facts as never),
      ...(needsInput && info.toConfirm ? { toConfirm: info.toConfirm.text } : {}),
      findings: groupFindings,
      omitted: omitted.get(group)?.count ?? 0,
    });
  }
  findings.sort(compareFindings);
  rootCauses.sort((a, b) => compareFindings(a.findings[0], b.findings[0]));
  return { findings, rootCauses };
}

const RANKS: Confidence[] = ['possible', 'likely', 'certain'];
const SEVERITY = { error: 0, warning: 1, info: 2 } as const;
function rank(c: Confidence): number {
  return RANKS.indexOf(c);
}

function toFinding(d: Draft, rootCause: string, ctx: ReportContext): Finding {
  const info = codeInfo(d.code);
  const input = ctx.inputs[d.at.input];
  let confidence: Confidence = d.confidence ?? info.confidence;
  // A finding read from an incomplete input is never certain.
  if (input.incomplete.length > 0 && confidence === 'certain' && d.code !== 'HPL015') confidence = lessSure(confidence);
  const block = blockOf(ctx, d);
  const message = draftMessage(d, ctx.platform);
  return {
    code: d.code,
    name: info.name,
    severity: info.severity,
    cause: d.cause ?? info.cause,
    ...(d.otherCauses ? { otherCauses: d.otherCauses } : {}),
    confidence,
    message: block && !message.includes('memory block') ? `${message} (${block})` : message,
    location: { input: d.at.input, path: input.path, line: d.at.line },
    ...(d.device ? { device: d.device } : {}),
    ...(d.range ? { range: d.range } : {}),
    related: d.related
      .filter((r) => r.at.input !== d.at.input || r.at.line !== d.at.line)
      .map((r) => ({ input: r.at.input, path: ctx.inputs[r.at.input].path, line: r.at.line, message: r.message })),
    rule: d.via,
    rootCause,
    sequence: d.sequence ?? Number.MAX_SAFE_INTEGER,
  };
}
