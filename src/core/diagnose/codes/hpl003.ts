import { hexString as hex } from '../../text/hex';
import { acceptance, type FindingDefinition, hypotheses, QEMU_TRACE_ADVICE, rangeText, withRemedies } from './definition';

export type AcceptFailedFacts =
  /** The model saw the accept fail on memory whose state before does not explain it. */
  | { from: 'model'; before: string; privatePageRemoved: boolean }
  /** A CPA warning whose address is hashed, with no conversion to place it on. */
  | { from: 'cpa'; bytes: bigint; errno?: number; privatePageRemoved: boolean }
  /** PVALIDATE failed with another code than FAIL_NOUPDATE. */
  | { from: 'pvalidate'; pfn?: bigint; vaddr?: bigint; ret: number };

const PVALIDATE_FAIL_SIZEMISMATCH = 6;

export const HPL003: FindingDefinition<AcceptFailedFacts> = withRemedies<AcceptFailedFacts>({
  code: 'HPL003',
  name: 'accept-failed',
  severity: 'error',
  cause: 'unknown',
  confidence: 'possible',
  title: 'accept or conversion to private failed',
  help:
    'An accept (TDX) or validation (SEV-SNP) or a conversion to private failed and the evidence does not single out a ' +
    'cause; the finding ranks the hypotheses.',
  message(facts, place, platform) {
    const { Accepting, accept } = acceptance(platform);
    switch (facts.from) {
      case 'model':
        return `${Accepting} ${rangeText(place)} failed, and the logs do not show why: the memory was ${facts.before} before. ${hypotheses(platform, facts.privatePageRemoved)}`;
      case 'cpa':
        return `Converting ${hex(facts.bytes)} bytes to private (${accept}) failed with ${facts.errno ?? 'an error'}; the CPA warning hashes the address, and no QEMU trace says which range it was. ${hypotheses(platform, facts.privatePageRemoved)}`;
      case 'pvalidate':
        return `PVALIDATE of ${facts.pfn !== undefined ? `pfn ${hex(facts.pfn)}` : facts.vaddr !== undefined ? `the page at kernel virtual address ${hex(facts.vaddr)}` : 'a page'} failed with ret=${facts.ret}${facts.ret === PVALIDATE_FAIL_SIZEMISMATCH ? ' (PVALIDATE_FAIL_SIZEMISMATCH)' : ''}; the guest terminates itself.`;
    }
  },
  why(platform) {
    const { accept, accepted } = acceptance(platform);
    return `${accept === 'accept' ? 'An accept' : 'A validation'} failed, and the logs do not show the state of the memory before: it may have been still ${accepted} (unplug without discard, offline/online), or the conversion may have been refused.`;
  },
  remedies: () => [],
  toConfirm: { unlessInput: 'qemu', text: `${QEMU_TRACE_ADVICE}; enable virtio_mem dynamic debug in the guest (virtio_mem.dyndbg=+p)` },
});
