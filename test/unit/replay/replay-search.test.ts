/**
 * The replay's expression language, its stop rules (Continue, Reverse Continue, Step Into) and
 * its what-if, on the bundled example: a re-plug whose eight accepts fail (HPL001 at guest.log
 * lines 22–29) after QEMU unplugged without discarding the private pages (qemu.log line 79
 * acknowledges the UNPLUG of 0x108000000).
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/core/analyze';
import { ReplayCursor } from '../../../src/core/replay/cursor';
import { ExprError, Expression, showValue, type Rec } from '../../../src/core/replay/expr/evaluate';
import { parseExpression } from '../../../src/core/replay/expr/parse';
import { replayScope } from '../../../src/core/replay/scope';
import { becomesTrueRule, changeRule, findingFilter, findingRule, lineKey, lineRule, runBackward, runForward, touchRule } from '../../../src/core/replay/search';
import { loadTrace, type Trace, unreplayable } from '../../../src/core/replay/trace';
import { replayWhatIf } from '../../../src/core/replay/what-if';
import { bufferedSource, fileSource } from '../../../src/node/inputs';
import { EXAMPLE_LOGS } from './replay-example';

const GUEST = 0;
const QEMU = 1;

describe('replay expressions', () => {
  let trace: Trace;
  let cursor: ReplayCursor;
  const value = (text: string) => new Expression(text).evaluate(replayScope(cursor));
  before(async () => {
    trace = await loadTrace(await Promise.all(EXAMPLE_LOGS.map((f) => fileSource(f))));
    cursor = new ReplayCursor(trace);
  });

  it('parses precedence, calls, members and indexes', () => {
    assert.deepEqual(parseExpression("a || b && c == 'x'"), {
      type: 'binary',
      op: '||',
      left: { type: 'name', name: 'a' },
      right: { type: 'binary', op: '&&', left: { type: 'name', name: 'b' }, right: { type: 'binary', op: '==', left: { type: 'name', name: 'c' }, right: { type: 'literal', value: 'x' } } },
    });
    assert.deepEqual(parseExpression('sb(0x10).x[1]'), {
      type: 'index',
      object: { type: 'member', object: { type: 'call', callee: 'sb', args: [{ type: 'literal', value: 0x10n }] }, name: 'x' },
      index: { type: 'literal', value: 1n },
    });
  });

  it('rejects what it does not know, saying where', () => {
    for (const [text, words] of [
      ['sb(0x1', "expected ')'"],
      ['1.5', 'whole numbers'],
      ["'open", 'unterminated'],
      ['a b', 'after the expression'],
      ['x = 1', "unexpected '='"],
      ['process.exit()', 'after the expression'],
      ['process', "unknown name 'process'"],
    ] as const) {
      assert.throws(() => new Expression(text).evaluate(replayScope(cursor)), (e: Error) => e instanceof ExprError && e.message.includes(words), text);
    }
    assert.throws(() => value('constructor(1)'), /unknown function 'constructor'/);
    assert.throws(() => value('toString'), /unknown name 'toString'/);
    assert.throws(() => value("sb('x')"), /takes a number/);
  });

  it('reads a subblock, its memory block, its device and the findings at a position', () => {
    cursor.seek(91); // qemu.log:79 acknowledged the UNPLUG of [0x108000000, 0x110000000)
    assert.equal(cursor.current?.source.line, 79);
    assert.equal(value('sb(0x108000000).dev'), 'unplugged');
    assert.equal(value('sb(0x108000000).accept'), 'stale');
    assert.equal(value("sb(0x108000000).sept == 'MAPPED'"), true);
    assert.equal(value("sb(0x108000000).rmp"), 'VALIDATED');
    assert.equal(value('sb(0x108000000).block'), 33n);
    assert.equal(value('sb(0x108000000).setBy'), 'qemu.log:77', 'the UNPLUG request the answer acknowledged');
    assert.equal(value('mb(33).stale'), 64n);
    assert.equal(value('mb(33).start'), 0x108000000n);
    assert.equal(value("device('virtio5').subblockSize"), 0x200000n);
    assert.equal(value("device('virtio9')"), null);
    assert.equal(value('sb(0x1000)'), null, 'no device holds it');
    assert.equal(value("findings('HPL001').length"), 0n);
    assert.equal(value("findings('HPL005')[0].code"), 'HPL005', 'the UNPLUGs so far left private pages behind');
    assert.equal(value('event.kind'), 'qemu.vmem.response');
    assert.equal(value('position'), 91n);
    assert.equal(showValue(value('sb(0x108000000)')), "'unplugged none ? stale ?'".slice(1, -1));
    cursor.seek(trace.events.length);
    assert.equal(value("findings('HPL001').length"), 8n);
    assert.equal(value("findings('error')[0].line"), 22n);
    assert.equal(value("!(findings('warning').length > 100) && -1 < 0"), true);
  });
});

describe('replay stops', () => {
  let trace: Trace;
  before(async () => {
    trace = await loadTrace(await Promise.all(EXAMPLE_LOGS.map((f) => fileSource(f))));
  });
  const at = (c: ReplayCursor) => `${c.current?.input}:${c.current?.source.line}`;

  it('continues to each HPL001 and back again', () => {
    const c = new ReplayCursor(trace, { interval: 32 });
    const rules = [findingRule(findingFilter(['HPL001']))];
    const lines: string[] = [];
    for (let hit = runForward(c, rules); hit; hit = runForward(c, rules)) {
      assert.equal(hit.reason, 'exception');
      assert.equal(hit.finding?.code, 'HPL001');
      lines.push(at(c));
    }
    assert.deepEqual(lines, [22, 23, 24, 25, 26, 27, 28, 29].map((l) => `${GUEST}:${l}`));
    assert.equal(c.position, trace.events.length, 'no more: the run ends at the end of the trace');
    assert.equal(at(c), `${GUEST}:29`, 'the last event is the last failed accept');
    const back: string[] = [];
    for (let hit = runBackward(c, rules); hit; hit = runBackward(c, rules)) back.push(at(c));
    assert.deepEqual(back, [...lines].reverse().slice(1), 'earlier stops only, latest first');
    assert.equal(c.position, 0, 'no earlier one: back to the start');
  });

  it('runs in slices: a limit stops the run without a hit, and the next slice goes on from there', () => {
    const c = new ReplayCursor(trace);
    const rules = [findingRule(findingFilter(['HPL001']))];
    assert.equal(runForward(c, rules, 100), undefined);
    assert.equal(c.position, 100);
    const hit = runForward(c, rules, c.length);
    assert.equal(hit?.finding?.code, 'HPL001');
    assert.equal(at(c), `${GUEST}:22`);
  });

  it('stops on severities and on any finding', () => {
    const filter = findingFilter(['warning']);
    assert.equal(filter('HPL005'), true);
    assert.equal(filter('HPL001'), false);
    assert.equal(findingFilter(['any'])('HPL015'), true);
    const c = new ReplayCursor(trace);
    const hit = runForward(c, [findingRule(filter)]);
    assert.equal(hit?.finding?.code, 'HPL005');
  });

  it('stops on a line, with and without a condition', () => {
    const c = new ReplayCursor(trace);
    const scope = replayScope(c);
    const lines = new Map([[lineKey(QEMU, 79), undefined], [lineKey(GUEST, 22), new Expression("findings('HPL001').length == 2")]]);
    assert.ok(runForward(c, [lineRule(lines, scope)]));
    assert.equal(at(c), `${QEMU}:79`);
    assert.equal(runForward(c, [lineRule(lines, scope)]), undefined, 'line 22 drafts the first HPL001 only: the condition never holds there');
  });

  it('stops where a condition becomes true, forward and backward', () => {
    const c = new ReplayCursor(trace, { interval: 16 });
    const rule = becomesTrueRule(new Expression("sb(0x108000000).sept == 'MAPPED'"), replayScope(c));
    const hit = runForward(c, [rule]);
    assert.match(hit?.text ?? '', /became true/);
    assert.equal(at(c), `${QEMU}:79`);
    assert.equal(runForward(c, [rule]), undefined, 'it stays true: no second transition');
    assert.ok(runBackward(c, [rule]));
    assert.equal(at(c), `${QEMU}:79`);
  });

  it('stops where a subblock changes (data breakpoint) and on the next event touching it (Step Into)', () => {
    const c = new ReplayCursor(trace);
    const scope = replayScope(c);
    const tuple = new Expression('sb(0x108000000).tuple');
    const rule = changeRule('sb(0x108000000)', () => (tuple.holds(scope) ? tuple.evaluate(scope) : undefined));
    const stops: string[] = [];
    for (let hit = runForward(c, [rule]); hit; hit = runForward(c, [rule])) stops.push(at(c));
    assert.deepEqual(stops.slice(0, 3), [`${GUEST}:10`, `${QEMU}:6`, `${QEMU}:79`]);
    c.seek(0);
    const spans = [{ device: 'virtio5', start: 0x108000000n, end: 0x108200000n }];
    runForward(c, [touchRule(spans)]);
    assert.equal(at(c), `${GUEST}:10`);
    runForward(c, [touchRule(spans)]);
    assert.equal(at(c), `${QEMU}:6`);
  });
});

describe('replay what-if', () => {
  it('agrees with check --what-if at the end of the example: vmm.discardPrivate=yes removes the eight HPL001', async () => {
    const sources = await Promise.all(EXAMPLE_LOGS.map((f) => fileSource(f)));
    const cursor = new ReplayCursor(await loadTrace(sources));
    cursor.seek(cursor.length);
    const answer = replayWhatIf(cursor, { 'vmm.discardPrivate': 'yes' });
    const checked = await analyze(sources, { whatIf: { 'vmm.discardPrivate': 'yes' } });
    assert.equal(answer.cursor.position, cursor.position);
    assert.deepEqual(answer.removed, checked.whatIf?.removed);
    assert.deepEqual(answer.added, checked.whatIf?.added);
    assert.deepEqual(answer.removed.filter((f) => f.code === 'HPL001').map((f) => f.location.line), [22, 23, 24, 25, 26, 27, 28, 29]);
    assert.deepEqual(answer.cursor.analysis().findings.filter((f) => f.code === 'HPL001'), []);
  });

  it('answers up to the position only: before the re-plug nothing changes', async () => {
    const cursor = new ReplayCursor(await loadTrace(await Promise.all(EXAMPLE_LOGS.map((f) => fileSource(f)))));
    cursor.seek(91);
    const answer = replayWhatIf(cursor, { 'vmm.discardPrivate': 'yes' });
    assert.deepEqual(answer.removed.filter((f) => f.code === 'HPL001'), []);
    const sb = new Expression('sb(0x108000000).accept').evaluate(replayScope(answer.cursor)) as Rec | string;
    assert.equal(sb, 'free', 'discarded on unplug under the policy');
  });
});

describe('replayable traces', () => {
  it('says why an empty log or one without memory lines cannot be replayed', async () => {
    const empty = await loadTrace([await bufferedSource('empty.log', Buffer.alloc(0))]);
    assert.match(unreplayable(empty) ?? '', /empty\.log: the log is empty/);
    const noise = await loadTrace([await bufferedSource('boot.log', Buffer.from('[    1.0] EXT4-fs (vda1): mounted filesystem\n[    2.0] random: crng init done\n'))]);
    assert.match(unreplayable(noise) ?? '', /no virtio-mem.*in 2 lines/);
    assert.equal(unreplayable(await loadTrace(await Promise.all(EXAMPLE_LOGS.map((f) => fileSource(f))))), undefined);
  });
});
