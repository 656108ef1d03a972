/**
 * How much a simulation may do. A scenario is a few lines, but `repeat 999999999999 { … }`
 * would write logs until the disk is full, and a loop that writes nothing would spin forever:
 * both run out of budget instead and stop with a `ScenarioError` at the statement being run.
 */
import { ScenarioError } from './parse';

export interface Budgets {
  /** Statements run (each round of a `repeat` too) and passes of the driver's work queue. */
  maxSteps: number;
  /**
   * Characters written to the three logs together (the logs are ASCII: bytes). At least
   * 64 KiB: the boot writes a few lines before the scenario's first statement, at line 0.
   */
  maxBytes: number;
}

/**
 * Far above the examples (at most 30 steps and 130 KB) and the benchmark's shape (700 steps,
 * 33 MB), yet each reached in a few seconds (ten million empty rounds in about 1.5 s, 256 MiB
 * of logs in about 6 s): a run that hits one is a mistake or wants an explicit budget.
 */
export const DEFAULT_BUDGETS: Readonly<Budgets> = { maxSteps: 10_000_000, maxBytes: 256 * 1024 * 1024 };

export type BudgetName = 'steps' | 'bytes';

/** A simulation ran out of its budget `budget` (`limit`) at scenario line `line`. */
export class BudgetError extends ScenarioError {
  constructor(
    line: number,
    readonly budget: BudgetName,
    readonly limit: number,
  ) {
    super(line, budget === 'steps' ? `more than ${limit} steps, the step budget` : `more than ${limit} bytes of logs, the byte budget`);
  }
}

/** What a simulation has spent; throws `BudgetError` at the first step or line beyond a budget. */
export class Spending {
  private steps = 0;
  private bytes = 0;

  constructor(
    private readonly budgets: Budgets,
    /** The scenario line being run, for the error. */
    private readonly line: () => number,
  ) {}

  step(): void {
    if (++this.steps > this.budgets.maxSteps) throw new BudgetError(this.line(), 'steps', this.budgets.maxSteps);
  }

  /** Called before a line is kept: the logs never pass the byte budget. */
  write(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.budgets.maxBytes) throw new BudgetError(this.line(), 'bytes', this.budgets.maxBytes);
  }
}
