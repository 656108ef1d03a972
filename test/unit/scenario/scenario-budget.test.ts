/**
 * A simulation's budgets (src/core/scenario/budget.ts) and the parser's nesting limit: what a
 * step is, that the logs never pass the byte budget, that the examples stay far inside the
 * defaults, and that any scenario text ends in logs or in a ScenarioError, never otherwise.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { BudgetError, type Budgets, DEFAULT_BUDGETS } from '../../../src/core/scenario/budget';
import { parseScenario, ScenarioError } from '../../../src/core/scenario/parse';
import { simulate } from '../../../src/core/scenario/simulate';
import { actions, config } from '../../helpers/scenario-text';

/** The repository root: this file runs as out/test/unit/scenario-budget.test.js. */
const ROOT = join(__dirname, '..', '..', '..', '..');

/** Runs `text` to its end; the characters of the logs it yielded, and the error it ended with. */
function run(text: string, budgets: Budgets): { bytes: number; error?: unknown } {
  let bytes = 0;
  try {
    const gen = simulate(parseScenario(text), budgets);
    for (let step = gen.next(); !step.done; step = gen.next()) bytes += step.value.guest.length + step.value.qemu.length + step.value.host.length;
    return { bytes };
  } catch (error) {
    return { bytes, error };
  }
}

function nested(depth: number): string {
  return `${'repeat 2 {\n'.repeat(depth)}wait 1\n${'}\n'.repeat(depth)}`;
}

describe('scenario: budgets', () => {
  it('takes repeats nested 100 deep and refuses the 101st at its line, also 5000 deep (no stack overflow)', () => {
    assert.equal(parseScenario(nested(100)).actions.length, 1);
    for (const depth of [101, 5000]) {
      assert.throws(
        () => parseScenario(nested(depth)),
        (error: unknown) => error instanceof ScenarioError && error.line === 101 && error.message === 'repeat: nested more than 100 deep, the nesting limit',
      );
    }
  });

  it('counts a step per statement, per round of a repeat and per pass of the driver, and stops at the statement beyond', () => {
    // Steps: the boot's driver pass, `repeat`, then per round the round and its two statements:
    // after 333 rounds 2 + 999 = 1001 steps, the last one `migrate-end` on line 3.
    const { error } = run('repeat 999999999999 {\n  migrate-begin\n  migrate-end\n}\n', { maxSteps: 1000, maxBytes: DEFAULT_BUDGETS.maxBytes });
    assert.ok(error instanceof BudgetError, String(error));
    assert.deepEqual([error.line, error.budget, error.limit, error.message], [3, 'steps', 1000, 'more than 1000 steps, the step budget']);
    // An empty loop writes nothing and ends all the same, at the repeat.
    const empty = run('resize 0\nrepeat 999999999999 { }\n', { maxSteps: 50, maxBytes: DEFAULT_BUDGETS.maxBytes });
    assert.ok(empty.error instanceof BudgetError);
    assert.equal(empty.error.line, 2);
    // A wait of 30 years with the device BUSY: a retry pass every 300 s, none of it logged.
    const silent = run('migrate-begin\nresize 2G\nlog qemu-trace=off host=off\nwait 999999999\n', { maxSteps: 1000, maxBytes: DEFAULT_BUDGETS.maxBytes });
    assert.ok(silent.error instanceof BudgetError);
    assert.deepEqual([silent.error.line, silent.error.budget], [4, 'steps']);
  });

  it('never writes past the byte budget: the statement that would is the error', () => {
    const maxBytes = 300_000;
    const { bytes, error } = run('guest tdx\nrepeat 999999999999 {\n  resize 2G\n  resize 0\n}\n', { maxSteps: DEFAULT_BUDGETS.maxSteps, maxBytes });
    assert.ok(error instanceof BudgetError, String(error));
    assert.equal(error.budget, 'bytes');
    assert.ok(error.line === 3 || error.line === 4, `line ${error.line}`);
    assert.equal(error.message, 'more than 300000 bytes of logs, the byte budget');
    // Every line up to the one that would have passed the budget was handed out.
    assert.ok(bytes <= maxBytes && bytes > maxBytes - 200, `${bytes} bytes`);
  });

  it('leaves the examples and the benchmark shape far inside the defaults, and their output as it was', () => {
    const quarter = { maxSteps: DEFAULT_BUDGETS.maxSteps / 4, maxBytes: DEFAULT_BUDGETS.maxBytes / 4 };
    const dir = join(ROOT, 'examples', 'scenarios');
    const files = [...readdirSync(dir).map((f) => join(dir, f)), join(ROOT, 'bench', 'scenarios', 'big-tdx-cycles.scn')];
    assert.ok(files.length >= 12);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const within = run(text, quarter);
      assert.equal(within.error, undefined, file);
      assert.deepEqual(within, run(text, { maxSteps: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER }), file);
    }
  });
});

// ---- any text made of the language's words ----

/** Words out of place (in one text of four): braces without repeats, statements after actions, unknown words. */
const noise = fc.constantFrom('}', '{', 'repeat', 'repeat 0 {', 'repeat 2', 'resise 0', 'guest tdx', 'seed 1', 'log colour=on');
const scenarioText = fc
  .tuple(config, actions, fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.tuple(fc.nat(), noise), weight: 1 }), fc.array(fc.constantFrom('\n', '; '), { minLength: 1 }))
  .map(([head, body, inserted, separators]) => {
    const lines = [...head, ...body];
    if (inserted) lines.splice(inserted[0] % (lines.length + 1), 0, inserted[1]);
    // `{` must stay on its repeat's line, and a comment runs to the end of its line: only the
    // other line ends may become `;`.
    return lines.map((l, i) => l + (l.endsWith('{') || l.startsWith('#') ? '\n' : separators[i % separators.length])).join('');
  });
const budgets = fc.record({ maxSteps: fc.integer({ min: 1, max: 3000 }), maxBytes: fc.integer({ min: 65536, max: 400_000 }) });

describe('scenario: any text, bounded budgets', () => {
  it('ends in logs within the byte budget or in a ScenarioError at one of its lines, never another error', () => {
    let budgetErrors = 0;
    let completed = 0;
    fc.assert(
      fc.property(scenarioText, budgets, (text, limits) => {
        const { bytes, error } = run(text, limits);
        assert.ok(bytes <= limits.maxBytes, `${bytes} bytes for a budget of ${limits.maxBytes}`);
        if (error === undefined) {
          completed++;
          return;
        }
        if (!(error instanceof ScenarioError)) throw error;
        if (error instanceof BudgetError) {
          budgetErrors++;
          assert.equal(error.limit, error.budget === 'steps' ? limits.maxSteps : limits.maxBytes);
        }
        assert.ok(error.line >= 1 && error.line <= text.split('\n').length, `line ${error.line}: ${error.message}`);
      }),
      { numRuns: 400 },
    );
    // The texts reach both ends: some run out of budget, some complete.
    assert.ok(budgetErrors > 0 && completed > 0, `${budgetErrors} budget errors, ${completed} completed`);
  });
});
