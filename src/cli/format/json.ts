/** `check --format json`: the document of DIAGNOSTICS.md, addresses as `0x` strings. */
import type { Analysis } from '../../core/analyze';
import type { Finding } from '../../core/diagnose/finding';
import { type JsonValue, plain } from '../../core/serialize';
import { hexString } from '../../core/text/hex';
import { VERSION } from '../version';

function finding(f: Finding): JsonValue {
  return {
    code: f.code,
    name: f.name,
    severity: f.severity,
    cause: f.cause,
    ...(f.otherCauses ? { otherCauses: f.otherCauses } : {}),
    confidence: f.confidence,
    message: f.message,
    location: { path: f.location.path, line: f.location.line },
    ...(f.device ? { device: f.device } : {}),
    ...(f.range ? { range: { start: hexString(f.range.start), end: hexString(f.range.end) } } : {}),
    related: f.related.map((r) => ({ path: r.path, line: r.line, message: r.message })),
    rule: f.rule,
    rootCause: f.rootCause,
  };
}

export function formatJson(a: Analysis): string {
  const doc: { [key: string]: JsonValue } = {
    tool: { name: 'hotplug-lens', version: VERSION },
    inputs: a.inputs.map((i) => ({ path: i.path, lines: i.lines, recognized: i.recognized, ignored: i.ignored, unparsed: i.unparsed })),
    devices: a.devices.map((g) => ({
      id: g.device,
      ...(g.startAddress !== undefined ? { startAddress: hexString(g.startAddress) } : {}),
      ...(g.regionSize !== undefined ? { regionSize: hexString(g.regionSize) } : {}),
      deviceBlockSize: hexString(g.deviceBlockSize),
      memoryBlockSize: hexString(g.memoryBlockSize),
      subblockSize: hexString(g.subblockSize),
      mode: g.mode,
      geometry: g.geometry,
      ...(g.inferredFrom.length > 0 ? { inferredFrom: g.inferredFrom } : {}),
    })),
    findings: a.findings.map(finding),
    rootCauses: a.rootCauses.map((r) => ({
      id: r.id,
      code: r.code,
      title: r.title,
      cause: r.cause,
      ...(r.otherCauses ? { otherCauses: r.otherCauses } : {}),
      confidence: r.confidence,
      summary: r.summary,
      ...(r.toConfirm ? { toConfirm: r.toConfirm } : {}),
      findings: r.findings.length + r.omitted,
      ...(r.omitted > 0 ? { omitted: r.omitted } : {}),
    })),
    policies: plain(a.policies.map(({ at: _at, ...p }) => p)),
    alignment: a.alignment.map((al) => ({
      path: a.inputs[al.input].path,
      method: al.method,
      pairs: al.pairs,
      ...(al.offsetMicros !== undefined ? { offsetUs: al.offsetMicros } : {}),
    })),
    // Why and what would have prevented it depend on the code only: said once per code.
    explanations: Object.fromEntries(
      [...new Map(a.rootCauses.map((r) => [r.code, r])).values()].map((r) => [r.code, { why: r.why, wouldNotHappenIf: r.wouldNotHappenIf }]),
    ),
    summary: a.summary,
  };
  if (a.whatIf) {
    doc.whatIf = { policies: plain(a.whatIf.policies), removed: a.whatIf.removed.map(finding), added: a.whatIf.added.map(finding) };
  }
  return `${JSON.stringify(doc, null, 2)}\n`;
}
