/**
 * What a user typed, in the words of patches and mails (a finding code or name, a TDX status
 * name or value), → what it really is, where it shows up, and which finding covers it.
 */
import { CATALOG, type CodeInfo } from './catalog';
import { PVALIDATE_RETURNS, RMPUPDATE_RETURNS, snpCodeByName, terminationCodes } from '../snp/codes';
import { decodeTdxStatus, statusByName } from '../tdx/status';

/** Findings that cover a status when users meet it. */
const STATUS_FINDINGS: Record<string, { codes: string[]; note: string }> = {
  TDX_EPT_ENTRY_STATE_INCORRECT: {
    codes: ['HPL012', 'HPL001'],
    note:
      'The CoCo RFC cover letter blames this status for accepting an already-accepted page, but the TDX module returns it ' +
      'only to host SEAMCALLs (seen on the host as `kvm_intel: SEAMCALL TDH_MEM_PAGE_AUG failed: 0xc0000b0d00000001, …`, ' +
      'finding HPL012). A guest that re-accepts a page that is still accepted gets TDX_PAGE_ALREADY_ACCEPTED instead, ' +
      'which shows as `tdx: Failed to accept memory [...]` or a CPA `to private: -5` warning: finding HPL001 ' +
      '(re-accept after an unplug that did not discard the private pages).',
  },
  TDX_PAGE_ALREADY_ACCEPTED: {
    codes: ['HPL001', 'HPL002'],
    note:
      'A warning status (bit 63 clear) from TDG.MEM.PAGE.ACCEPT on a page that is still accepted. Linux treats it as a ' +
      'failure: HPL001 when the page survived an UNPLUG, HPL002 when it survived an offline/online cycle.',
  },
};

/** A code's why and remedies on TDX and on SEV-SNP, once when the platform does not change them. */
function byPlatform(c: CodeInfo): Array<{ label: string; why: string; remedies: string[] }> {
  const tdx = { label: ' (TDX)', why: c.why('tdx'), remedies: c.wouldNotHappenIf('tdx') };
  const snp = { label: ' (SEV-SNP)', why: c.why('snp'), remedies: c.wouldNotHappenIf('snp') };
  const same = tdx.why === snp.why && tdx.remedies.join('\n') === snp.remedies.join('\n');
  return same ? [{ ...tdx, label: '' }] : [tdx, snp];
}

export interface LookupResult {
  title: string;
  text: string;
  codes: CodeInfo[];
}

export function lookup(term: string): LookupResult | undefined {
  const t = term.trim();
  const byCode = CATALOG.get(t.toUpperCase()) ?? [...CATALOG.values()].find((c) => c.name === t.toLowerCase());
  if (byCode) {
    const text = [byCode.help, ...byPlatform(byCode).map(({ label, why, remedies }) =>
      [`Why${label}: ${why}`, remedies.length > 0 ? `Would not happen if${label}: ${remedies.join('; or ')}.` : ''].filter(Boolean).join('\n\n'),
    )].join('\n\n');
    return { title: `${byCode.code} ${byCode.name} (${byCode.severity}, usually ${byCode.cause})`, text, codes: [byCode] };
  }
  const snp = snpCodeByName(t.toUpperCase());
  if (snp) {
    return {
      title: snp.name,
      text: `${snp.name} = ${snp.value}. ${snp.meaning}`,
      codes: snp.findings.map((c) => CATALOG.get(c) as CodeInfo),
    };
  }
  let status = statusByName(t.toUpperCase());
  let name = t.toUpperCase();
  if (!status && /^(0x)?[0-9a-f]{1,16}$/i.test(t)) {
    const decoded = decodeTdxStatus(BigInt(t.startsWith('0x') || t.startsWith('0X') ? t : `0x${t}`));
    name = decoded.name;
    status = statusByName(decoded.name);
    if (!status) return { title: decoded.name, text: `Operand: ${decoded.operand}.`, codes: [] };
  }
  if (!status) return undefined;
  const covered = STATUS_FINDINGS[name];
  const codes = (covered?.codes ?? []).map((c) => CATALOG.get(c) as CodeInfo);
  const value = `0x${status.value.toString(16).padStart(16, '0')}`;
  const text = [`${name} = ${value} (upper 32 bits; the lower 32 name the operand or EPT level). Returned by: ${status.where}.`, covered?.note ?? '']
    .filter(Boolean)
    .join('\n\n');
  return { title: name, text, codes };
}

/** Every finding and every status users meet, as one Markdown page (docs/findings.md). */
export function catalogMarkdown(): string {
  const out: string[] = ['# Hotplug Lens findings', ''];
  out.push('| Code | Name | Severity | Usual cause | Title |', '| --- | --- | --- | --- | --- |');
  for (const c of CATALOG.values()) out.push(`| ${c.code} | ${c.name} | ${c.severity} | ${c.cause} | ${c.title} |`);
  for (const c of CATALOG.values()) {
    out.push('', `## ${c.code} ${c.name}`, '', c.help);
    for (const { label, why, remedies } of byPlatform(c)) {
      out.push('', `**Why${label}:** ${why}`);
      if (remedies.length > 0) out.push('', `**Would not happen if${label}:**`, '', ...remedies.map((w) => `- ${w}`));
    }
  }
  out.push('', '## TDX status values users meet', '');
  for (const name of Object.keys(STATUS_FINDINGS)) {
    const found = lookup(name) as LookupResult;
    out.push(`### ${name}`, '', found.text, '', `Findings: ${found.codes.map((c) => c.code).join(', ')}`, '');
  }
  out.push('## SEV-SNP return codes and termination reasons', '', '| Name | Value | Meaning | Findings |', '| --- | --- | --- | --- |');
  for (const c of [...PVALIDATE_RETURNS, ...RMPUPDATE_RETURNS, ...terminationCodes()]) {
    out.push(`| ${c.name} | ${c.value} | ${c.meaning} | ${c.findings.join(', ')} |`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
