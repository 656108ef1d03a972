/**
 * v5.8–v5.10's virtio-mem driver names memory by Linux memory block id (`adding memory block:
 * 33`, `plugging memory block: 33 : 0 - 31`) where newer drivers print addresses. The driver
 * computed the address as `id × memory_block_size_bytes()` (+ `subblock id × subblock size`),
 * and printed both sizes at probe (`memory block size: 0x8000000`, `subblock size: 0x400000`),
 * before any such line. So within one log the id lines become the very `vmem.range` events the
 * newer wording gives, and the model, the analyzer and the alignment with QEMU's
 * `virtio_mem_plug_request addr=…` need nothing new. A log cut after the probe lines keeps
 * `vmem.blockOp`: an address from a guessed block size would be a made-up fact.
 */
import type { EventBody, VmemBlockOpEvent } from '../events';
import { blockSizeProblem } from '../model/block-size';

interface Sizes {
  memoryBlockSize?: bigint;
  subblockSize?: bigint;
}

export class MemoryBlockIds {
  /** Per device, the sizes its probe lines gave (a value no driver could print is not taken). */
  private readonly sizes = new Map<string, Sizes>();
  /** memory_block_size_bytes() is the kernel's, the same for every device: the last one logged. */
  private memoryBlockSize: bigint | undefined;

  /** `body` itself, or the range a `vmem.blockOp` stands for once the sizes are known. */
  resolve(body: EventBody): EventBody {
    if (body.kind === 'vmem.geometry') {
      if (body.field === 'memoryBlockSize' || body.field === 'subblockSize') this.saw(body.device, body.field, body.value);
      return body;
    }
    return body.kind === 'vmem.blockOp' ? (this.range(body) ?? body) : body;
  }

  private saw(device: string, field: keyof Sizes, value: bigint): void {
    if (blockSizeProblem(value) !== undefined) return;
    let sizes = this.sizes.get(device);
    if (!sizes) this.sizes.set(device, (sizes = {}));
    sizes[field] = value;
    if (field === 'memoryBlockSize') this.memoryBlockSize = value;
  }

  private range(op: Omit<VmemBlockOpEvent, 'source' | 'time' | 'input' | 'aligned'>): EventBody | undefined {
    const blockSize = this.sizes.get(op.device)?.memoryBlockSize ?? this.memoryBlockSize;
    if (blockSize === undefined) return undefined;
    const base = op.memoryBlock * blockSize;
    let start = base;
    let end = base + blockSize;
    if (op.subblocks) {
      const subblock = this.sizes.get(op.device)?.subblockSize;
      if (subblock === undefined) return undefined;
      start = base + BigInt(op.subblocks.first) * subblock;
      end = base + BigInt(op.subblocks.last + 1) * subblock;
      // Subblocks past the end of the memory block: the sizes are not the ones the driver used.
      if (end > base + blockSize) return undefined;
    }
    return { kind: 'vmem.range', rule: op.rule, device: op.device, op: op.op, start, end };
  }
}
