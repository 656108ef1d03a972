/** What every part of the simulated machine shares: configuration, geometry, the clock, the logs and the outcome. */
import type { Clock } from './clock';
import type { Logs } from './logs';
import type { Random } from './random';
import type { RegionGeometry } from './region-geometry';
import type { ScenarioConfig } from './types';

/** The VM has stopped for good: nothing else happens and nothing else is logged. */
export interface Stop {
  reason: string;
  /** Scenario line of the statement that caused it. */
  line: number;
}

export interface Context {
  readonly config: ScenarioConfig;
  readonly geo: RegionGeometry;
  readonly clock: Clock;
  readonly random: Random;
  readonly logs: Logs;
  /** QEMU's main-loop thread id (= its PID): virtio-mem requests are handled there. */
  readonly mainThread: number;
  /** Number of vCPUs; vCPU `i` runs in QEMU thread `mainThread + 1 + i`. */
  readonly vcpus: number;
  /** Scenario line of the statement being run. */
  line: number;
  /** Who runs guest code right now: the driver's work queue or an admin writing to sysfs. */
  caller: 'workqueue' | 'sysfs';
  stop?: Stop;
}

/** A vCPU picked for the next guest action, with its QEMU thread id. */
export function pickVcpu(ctx: Context): { vcpu: number; thread: number } {
  const vcpu = ctx.random.int(0, ctx.vcpus - 1);
  return { vcpu, thread: ctx.mainThread + 1 + vcpu };
}

export function halt(ctx: Context, reason: string): void {
  ctx.stop ??= { reason, line: ctx.line };
}
