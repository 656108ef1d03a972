/**
 * One replay step (src/core/run-state.ts): the whole analysis and the replay cursor step the
 * same run state, so applying a trace's events one by one — directly, or through the cursor
 * with its snapshots, seeks and restores — ends in exactly the analysis `analyze()` gives.
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { analyze } from '../../src/core/analyze';
import type { InputSource } from '../../src/core/ingest';
import type { Policies } from '../../src/core/model/policy';
import { ReplayCursor } from '../../src/core/replay/cursor';
import { loadTrace } from '../../src/core/replay/trace';
import { RunState } from '../../src/core/run-state';
import type { LogName } from '../../src/core/scenario/logs';
import { parseScenario } from '../../src/core/scenario/parse';
import { simulate } from '../../src/core/scenario/simulate';
import { fileSource } from '../../src/node/inputs';
import { LOG_NAMES } from '../../src/node/scenario-files';
import { memorySource, utf8 } from '../helpers/bytes';
import { actions, config } from '../helpers/scenario-text';
import { EXAMPLE_LOGS } from './replay/replay-example';

/** `PROPERTY_SCALE=20 npx mocha …` runs the property 20 times as often (bug hunting). */
const SCALE = Math.max(1, Number(process.env.PROPERTY_SCALE ?? '1') || 1);

describe('run state', () => {
  it('applying the example\'s events one by one gives exactly the analysis analyze() gives', async () => {
    const sources = await Promise.all(EXAMPLE_LOGS.map((f) => fileSource(f)));
    const trace = await loadTrace(sources);
    const run = new RunState(trace.merge.inputs.length);
    for (const e of trace.events) run.apply(e);
    run.finish();
    const stepped = run.analysis(trace.merge, true);
    const whole = await analyze(sources, { observe: { finalState: true } });
    assert.deepStrictEqual(stepped, whole);
    // The comparison has something to compare: the example's seed failure and its cause.
    assert.deepEqual([...new Set(whole.findings.map((f) => f.code))].sort(), ['HPL001', 'HPL005']);
    assert.ok(whole.rootCauses.length > 0);
  });

  it('before finish(), the analysis is what was found so far', async () => {
    const trace = await loadTrace(await Promise.all(EXAMPLE_LOGS.map((f) => fileSource(f))));
    const run = new RunState(trace.merge.inputs.length);
    assert.deepEqual(run.analysis(trace.merge).findings, []);
    const accept = trace.events.findIndex((e) => e.kind === 'tdx.acceptFailed');
    const found = () => run.analysis(trace.merge).findings.map((f) => `${f.code} ${f.location.input}:${f.location.line}`);
    for (const e of trace.events.slice(0, accept)) run.apply(e);
    assert.ok(!found().some((f) => f.startsWith('HPL001')), 'no HPL001 before the failed accept');
    run.apply(trace.events[accept]);
    assert.deepEqual(found(), ['HPL001 0:22', 'HPL005 1:35']);
  });
});

/** The logs a scenario writes; a simulation stopped by its budgets keeps what it wrote (a log cut short). */
function simulated(text: string): InputSource[] {
  const logs: Record<LogName, string> = { guest: '', qemu: '', host: '' };
  try {
    for (const chunk of simulate(parseScenario(text), { maxSteps: 400, maxBytes: 48_000 })) for (const log of LOG_NAMES) logs[log] += chunk[log];
  } catch {
    // A scenario the parser refuses or a budget ran out: the logs so far are still logs.
  }
  return LOG_NAMES.filter((log) => logs[log] !== '').map((log) => memorySource(`${log}.log`, utf8(logs[log])));
}

const scenarioArb = fc.tuple(config, actions).map(([head, body]) => [...head, ...body].join('\n'));
const policiesArb: fc.Arbitrary<Partial<Policies>> = fc.oneof(
  fc.constant({}),
  fc.constant({ 'vmm.discardPrivate': 'yes' } as Partial<Policies>),
  fc.constant({ 'vmm.discardPrivate': 'no' } as Partial<Policies>),
);

describe('run state: simulated logs', () => {
  it('the cursor\'s answer at the end is the finished one: a plain guest\'s latent HPL005 goes at finish(), as in analyze()', async () => {
    const sources = simulated(
      ['device virtio5 at 0x100000000 size 2G block 2M memory-block 128M subblock 4M', 'guest plain', 'driver mainline', 'vmm discard-private=no unplugged-inaccessible=no', 'resize 1G', 'wait 30', 'resize 0'].join('\n'),
    );
    const trace = await loadTrace(sources);
    const cursor = new ReplayCursor(trace);
    cursor.seek(trace.events.length - 1);
    cursor.forward();
    const run = cursor.copyOfState();
    assert.deepEqual(run.analysis(trace.merge).findings.map((f) => f.code), ['HPL005'], 'latent until the end');
    const whole = await analyze(sources);
    assert.deepEqual(whole.findings, []);
    assert.deepStrictEqual(cursor.analysis(), whole);
  });

  it('the replay cursor, stepped and sought in any order to the end, ends in analyze()\'s analysis', async () => {
    let withFindings = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, policiesArb, fc.integer({ min: 1, max: 64 }), fc.array(fc.nat(), { maxLength: 6 }), async (text, policies, interval, moves) => {
        const sources = simulated(text);
        const whole = await analyze(sources, { policies });
        const trace = await loadTrace(sources);
        const cursor = new ReplayCursor(trace, { policies, interval });
        // Wander first (snapshots, restores), then step one event at a time to the end.
        for (const m of moves) cursor.seek(m % (trace.events.length + 1));
        cursor.seek(0);
        while (cursor.forward()) continue;
        assert.deepStrictEqual(cursor.analysis(), whole);
        if (whole.findings.length > 0) withFindings++;
      }),
      { numRuns: Math.round(100 * SCALE) },
    );
    // The logs reach findings, not only clean runs.
    assert.ok(withFindings > 0, 'some simulated logs have findings');
  });
});
