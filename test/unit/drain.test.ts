/** Draining a generator for its return value (src/core/drain.ts). */
import { strict as assert } from 'node:assert';
import { drain, relay } from '../../src/core/drain';

async function* counting(n: number): AsyncGenerator<number, string> {
  for (let i = 0; i < n; i++) yield i;
  return `${n} yielded`;
}

function* syncCounting(n: number): Generator<number, string> {
  for (let i = 0; i < n; i++) yield i;
  return `${n} yielded`;
}

describe('drain', () => {
  it('hands every yield to the callback in order and returns the return value', async () => {
    const seen: number[] = [];
    assert.equal(await drain(counting(4), (v) => seen.push(v)), '4 yielded');
    assert.deepEqual(seen, [0, 1, 2, 3]);
  });

  it('drains a sync generator too, and without a callback', async () => {
    const seen: number[] = [];
    assert.equal(await drain(syncCounting(3), (v) => seen.push(v)), '3 yielded');
    assert.deepEqual(seen, [0, 1, 2]);
    assert.equal(await drain(counting(0)), '0 yielded');
  });

  it('waits for a callback that returns a promise before it asks for the next value', async () => {
    const order: string[] = [];
    async function* told(): AsyncGenerator<number, void> {
      for (let i = 0; i < 2; i++) {
        order.push(`yield ${i}`);
        yield i;
      }
    }
    await drain(told(), async (v) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`written ${v}`);
    });
    assert.deepEqual(order, ['yield 0', 'written 0', 'yield 1', 'written 1']);
  });

  it('passes on what the generator or the callback throws', async () => {
    async function* failing(): AsyncGenerator<number, string> {
      yield 1;
      throw new Error('input gone');
    }
    await assert.rejects(drain(failing()), /^Error: input gone$/);
    await assert.rejects(drain(counting(3), (v) => {
      if (v === 1) throw new Error('disk full');
    }), /^Error: disk full$/);
  });
});

describe('relay', () => {
  it('passes each value on after the callback saw it, and returns the return value', async () => {
    const marks: number[] = [];
    const batches: Array<{ n: number; seen?: boolean }> = [];
    async function* source(): AsyncGenerator<{ n: number; seen?: boolean }, string> {
      yield { n: 1 };
      yield { n: 2 };
      return 'done';
    }
    const summary = await drain(relay(source(), (b) => {
      b.seen = true;
      marks.push(b.n);
    }), (b) => batches.push(b));
    assert.equal(summary, 'done');
    assert.deepEqual(marks, [1, 2]);
    assert.deepEqual(batches, [{ n: 1, seen: true }, { n: 2, seen: true }]);
  });
});
