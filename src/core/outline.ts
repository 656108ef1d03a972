/**
 * The shape of each input, for an editor's outline: the devices it talks about (from the
 * first to the last line naming each) and the resize phases of each device (from one new
 * requested size to the next).
 */
import type { HotplugEvent } from './events';
import { sizeText } from './text/hex';

export interface ResizePhase {
  line: number;
  /** Last line of the phase: the line before the next phase, or the device's last line. */
  endLine: number;
  label: string;
}

export interface DeviceOutline {
  device: string;
  firstLine: number;
  lastLine: number;
  phases: ResizePhase[];
}

/** The device an event is about and, when it sets one, the size the host asked for. */
function aboutDevice(e: HotplugEvent): { device: string; requested?: bigint } | undefined {
  switch (e.kind) {
    case 'vmem.size':
      return { device: e.device, ...(e.which === 'requested' ? { requested: e.size } : {}) };
    case 'monitor.command':
      return e.requestedSize ? { device: e.requestedSize.id, requested: e.requestedSize.size } : undefined;
    case 'monitor.memoryDevice':
      return { device: e.id };
    default:
      if (e.kind.startsWith('qemu.vmem.')) return { device: 'virtio-mem (QEMU)' };
      return 'device' in e && typeof e.device === 'string' ? { device: e.device } : undefined;
  }
}

export class OutlineCollector {
  /** Per input, per device. */
  private readonly inputs = new Map<number, Map<string, DeviceOutline & { requested?: bigint }>>();

  see(e: HotplugEvent): void {
    const about = aboutDevice(e);
    if (!about) return;
    let devices = this.inputs.get(e.input);
    if (!devices) this.inputs.set(e.input, (devices = new Map()));
    const line = e.source.line;
    let d = devices.get(about.device);
    if (!d) devices.set(about.device, (d = { device: about.device, firstLine: line, lastLine: line, phases: [] }));
    if (line > d.lastLine) d.lastLine = line;
    if (about.requested !== undefined && about.requested !== d.requested) {
      const previous = d.phases[d.phases.length - 1];
      if (previous) previous.endLine = Math.max(previous.line, line - 1);
      d.phases.push({ line, endLine: line, label: `resize to ${sizeText(about.requested)}` });
      d.requested = about.requested;
    }
  }

  /** The outline of one input, devices in order of first appearance. */
  outline(input: number): DeviceOutline[] {
    return [...(this.inputs.get(input)?.values() ?? [])].map(({ requested: _requested, ...d }) => {
      const last = d.phases[d.phases.length - 1];
      if (last) last.endLine = Math.max(last.line, d.lastLine);
      return d;
    });
  }
}
