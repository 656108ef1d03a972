/**
 * Replays a scenario through a forward model of the guest driver, the QEMU device, KVM and the
 * TDX module / SNP RMP, and yields the text of guest.log, qemu.log and host.log in chunks.
 * Pure: no I/O; the caller writes the chunks (with back-pressure) and may stop pulling at any
 * time. Memory stays bounded by one memory block's worth of lines, whatever the repeat counts;
 * time and output by `budgets` (a `BudgetError` when one runs out).
 */
import { BudgetError, type Budgets, DEFAULT_BUDGETS, Spending } from './budget';
import { Clock } from './clock';
import { type Context, pickVcpu, type Stop } from './context';
import { Device } from './device';
import { Driver } from './driver';
import { BOOT_BANNER } from './formats';
import { type Chunk, type LogName, Logs, spill } from './logs';
import { ConfidentialMemory } from './memory';
import { Random } from './random';
import { RegionGeometry } from './region-geometry';
import type { Scenario, ScenarioAction } from './types';

export interface SimulationResult {
  /** Lines written to each log. */
  lines: Record<LogName, number>;
  /** The VM stopped for good (K1 and a dead TD, an SNP guest that terminated itself). */
  stop?: Stop;
  /** The driver marked the device broken (V31) with this errno, at this scenario line. */
  broken?: { errno: number; line: number };
}

/** vCPUs of the simulated guest (they pick the `vCPU n` of K1 and the QEMU thread of conversions). */
const VCPUS = 4;

export function* simulate(scenario: Scenario, budgets: Budgets = DEFAULT_BUDGETS): Generator<Chunk, SimulationResult, void> {
  const machine = new Machine(scenario, budgets);
  try {
    yield* machine.boot();
    yield* machine.run(scenario.actions);
  } catch (error) {
    // The logs up to the budget are handed out before the error: they show where it ran out.
    if (error instanceof BudgetError) yield* machine.flush();
    throw error;
  }
  yield* machine.flush();
  return machine.result();
}

class Machine {
  private readonly ctx: Context;
  private readonly memory: ConfidentialMemory;
  private readonly device: Device;
  private readonly spending: Spending;
  private driver: Driver;
  private broken?: { errno: number; line: number };

  constructor(scenario: Scenario, budgets: Budgets) {
    const { config } = scenario;
    const random = new Random(config.seed);
    const clock = new Clock(random.int(80_000, 90_000) * 1_000_000 + random.int(0, 999_999));
    this.spending = new Spending(budgets, () => this.ctx.line);
    const logs = new Logs({ ...config.log }, clock, random, this.spending);
    this.ctx = { config, geo: new RegionGeometry(config.device), clock, random, logs, mainThread: random.int(2000, 60000), vcpus: VCPUS, line: 0, caller: 'workqueue' };
    this.memory = new ConfidentialMemory(this.ctx);
    this.device = new Device(this.ctx, this.memory);
    this.driver = new Driver(this.ctx, this.device, this.memory);
  }

  /** A guest kernel boots: its platform banner, the driver probes about 1.4 s in, and its first pass runs. */
  *boot(): Generator<Chunk, void, void> {
    const { ctx } = this;
    ctx.clock.guestBoot = ctx.clock.now;
    if (ctx.config.guest !== 'plain') for (const line of BOOT_BANNER[ctx.config.guest]) ctx.logs.guest(line);
    ctx.clock.advance(ctx.random.int(1_350_000, 1_450_000));
    this.driver = new Driver(ctx, this.device, this.memory);
    this.driver.probe();
    yield* this.runDriver();
    // User space comes up before anything else happens.
    ctx.clock.advance(ctx.random.int(3_000_000, 5_000_000));
  }

  *run(actions: readonly ScenarioAction[]): Generator<Chunk, void, void> {
    for (const action of actions) {
      if (this.ctx.stop) return;
      this.ctx.line = action.line;
      this.spending.step();
      yield* this.act(action);
      yield* spill(this.ctx.logs);
    }
  }

  /** Hands out what is still buffered. */
  *flush(): Generator<Chunk, void, void> {
    const tail = this.ctx.logs.take();
    if (tail.guest || tail.qemu || tail.host) yield tail;
  }

  result(): SimulationResult {
    return { lines: { ...this.ctx.logs.counts }, ...(this.ctx.stop ? { stop: this.ctx.stop } : {}), ...(this.broken ? { broken: this.broken } : {}) };
  }

  private *act(action: ScenarioAction): Generator<Chunk, void, void> {
    const { ctx } = this;
    switch (action.kind) {
      case 'resize':
        ctx.clock.advance(ctx.random.int(200, 2000));
        this.device.setRequested(action.size);
        this.driver.configChange();
        yield* this.runDriver();
        return;
      case 'wait':
        yield* this.wait(action.micros);
        return;
      case 'offline-online':
        ctx.clock.advance(ctx.random.int(1000, 5000));
        ctx.caller = 'sysfs';
        this.driver.offlineOnline(action.block);
        ctx.caller = 'workqueue';
        return;
      case 'migrate-begin':
      case 'migrate-end':
        this.device.busy = action.kind === 'migrate-begin';
        return;
      case 'touch': {
        const { vcpu, thread } = pickVcpu(ctx);
        this.memory.touch(action.addr, vcpu, thread);
        return;
      }
      case 'reset':
        // A reset VM gets a new confidential context: nothing is accepted any more.
        ctx.clock.advance(ctx.random.int(500_000, 1_500_000));
        this.device.unplugAll();
        this.memory.reset();
        yield* this.boot();
        return;
      case 'reboot':
        ctx.clock.advance(ctx.random.int(2_000_000, 4_000_000));
        yield* this.boot();
        return;
      case 'log':
        Object.assign(ctx.logs.settings, action.settings);
        return;
      case 'repeat':
        // A round is a step of its own: a loop with nothing in it still ends.
        for (let i = 0; i < action.count && !ctx.stop; i++) {
          ctx.line = action.line;
          this.spending.step();
          yield* this.run(action.body);
        }
    }
  }

  /** Time passes; each expiry of the driver's retry timer runs the work queue. */
  private *wait(micros: number): Generator<Chunk, void, void> {
    const { ctx, driver } = this;
    const end = ctx.clock.now + micros;
    while (driver.retryAt !== undefined && driver.retryAt <= end && !ctx.stop) {
      ctx.clock.advanceTo(driver.retryAt);
      driver.retryAt = undefined;
      yield* this.runDriver();
    }
    ctx.clock.advanceTo(end);
  }

  /** A pass of the work queue is a step: a wait of years with the device BUSY runs one every 300 s. */
  private *runDriver(): Generator<Chunk, void, void> {
    this.spending.step();
    yield* this.driver.run();
    if (this.driver.brokenErrno !== undefined) this.broken ??= { errno: this.driver.brokenErrno, line: this.ctx.line };
  }
}
