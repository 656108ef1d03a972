/**
 * The replay cursor: every position reached by a seek (back, forward, from any snapshot) holds
 * exactly the state a fresh replay of that many events holds; the end gives check's analysis;
 * the deep copy behind the snapshots keeps prototypes, Maps, Sets, shared typed-array buffers
 * and shared references.
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/core/analyze';
import { deepCopy } from '../../../src/core/replay/clone';
import { ReplayCursor } from '../../../src/core/replay/cursor';
import { loadTrace, type Trace } from '../../../src/core/replay/trace';
import { fileSource } from '../../../src/node/inputs';
import { EXAMPLE_LOGS } from './replay-example';


async function exampleTrace(): Promise<Trace> {
  return loadTrace(await Promise.all(EXAMPLE_LOGS.map((f) => fileSource(f))));
}

/** Positions in a scrambled but reproducible order: back, forward, far and near. */
function scrambled(n: number): number[] {
  const out = Array.from({ length: n + 1 }, (_, i) => i);
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('replay cursor', () => {
  let trace: Trace;
  before(async () => {
    trace = await exampleTrace();
  });

  it('loads the merged events of the example', () => {
    assert.ok(trace.events.length > 200);
    assert.deepEqual(trace.merge.inputs.map((i) => i.path), EXAMPLE_LOGS);
  });

  it('seeking to any position, in any order, gives the state of a fresh replay of that many events', () => {
    const fresh = new ReplayCursor(trace, { interval: Number.MAX_SAFE_INTEGER });
    const expected = [fresh.copyOfState()];
    while (fresh.forward()) expected.push(fresh.copyOfState());
    assert.equal(expected.length, trace.events.length + 1);
    for (const interval of [1, 7, 64]) {
      const cursor = new ReplayCursor(trace, { interval });
      for (const p of scrambled(trace.events.length)) {
        cursor.seek(p);
        assert.equal(cursor.position, p);
        assert.deepStrictEqual(cursor.copyOfState(), expected[p], `interval ${interval}, position ${p}`);
      }
    }
  });

  it('steps forward and back one event at a time', () => {
    const cursor = new ReplayCursor(trace, { interval: 16 });
    cursor.seek(100);
    const at100 = cursor.copyOfState();
    assert.ok(cursor.forward());
    assert.equal(cursor.current, trace.events[100]);
    assert.ok(cursor.back());
    assert.equal(cursor.position, 100);
    assert.deepStrictEqual(cursor.copyOfState(), at100);
    cursor.seek(0);
    assert.equal(cursor.back(), false);
    cursor.seek(trace.events.length);
    assert.equal(cursor.forward(), false);
  });

  it('gives check\'s findings at the end, and the findings drafted so far before it', async () => {
    const cursor = new ReplayCursor(trace);
    cursor.seek(trace.events.length);
    const checked = await analyze(await Promise.all(EXAMPLE_LOGS.map((f) => fileSource(f))));
    assert.deepEqual(cursor.analysis().findings, checked.findings);
    cursor.seek(0);
    assert.deepEqual(cursor.analysis().findings, []);
  });

  it('records what each event touched, once, whatever the moves', () => {
    const cursor = new ReplayCursor(trace, { interval: 8 });
    cursor.seek(trace.events.length);
    const size = cursor.touches.size;
    assert.ok(size > 0);
    cursor.seek(3);
    cursor.seek(trace.events.length);
    assert.equal(cursor.touches.size, size);
  });

  it('keeps snapshots of a known size', () => {
    const cursor = new ReplayCursor(trace, { interval: 10 });
    cursor.seek(trace.events.length);
    const { snapshots, bytes, interval } = cursor.memory;
    assert.equal(interval, 10);
    assert.equal(snapshots, Math.floor(trace.events.length / 10) + 1);
    assert.ok(bytes > 0);
  });
});

describe('deep copy for snapshots', () => {
  class Box {
    constructor(public items: Map<string, Set<number>>, public data: Uint8Array, public view: Uint8Array) {}
    sum(): number {
      return this.data.reduce((a, b) => a + b, 0);
    }
  }

  it('keeps prototypes, Maps, Sets, typed arrays sharing a buffer, cycles and shared objects', () => {
    const data = new Uint8Array([1, 2, 3, 4]);
    const shared = { row: 1 };
    const box = new Box(new Map([['a', new Set([1, 2])]]), data, data.subarray(2));
    const root = { box, again: box, shared, frozen: Object.freeze({ x: 1 }), big: 5n, self: undefined as unknown };
    root.self = root;
    const { value, bytes } = deepCopy(root, new Set([shared]));
    assert.ok(value.box instanceof Box);
    assert.equal(value.box.sum(), 10);
    assert.equal(value.again, value.box);
    assert.equal(value.self, value);
    assert.equal(value.shared, shared);
    assert.equal(value.frozen, root.frozen);
    assert.equal(value.big, 5n);
    assert.notEqual(value.box.data, data);
    value.box.data[2] = 9;
    assert.equal(value.box.view[0], 9, 'views of one buffer stay views of one (copied) buffer');
    assert.equal(data[2], 3, 'the original is untouched');
    value.box.items.get('a')?.add(3);
    assert.equal(box.items.get('a')?.size, 2);
    assert.ok(bytes >= 4);
  });
});
