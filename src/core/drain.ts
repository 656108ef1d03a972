/**
 * Running a generator to its end for its return value: the merge's report, an input's summary,
 * a simulation's result. A `for await` loop drops the return value; this keeps it.
 */

/**
 * Hands each value `it` yields to `each` (awaited when it returns a promise: a writer that
 * waits for its file) and returns what `it` returns. Sync and async generators alike.
 */
export async function drain<Y, R>(it: Iterator<Y, R> | AsyncIterator<Y, R>, each?: (value: Y) => unknown): Promise<R> {
  for (;;) {
    const step = await it.next();
    if (step.done) return step.value;
    const pending = each?.(step.value);
    if (pending instanceof Promise) await pending;
  }
}

/**
 * `it` passed on: each value goes to `each` first (to annotate it in place), then on to the
 * consumer; returns what `it` returns. For a generator that refines another's stream
 * (`return yield* relay(...)`).
 */
export async function* relay<Y, R>(it: AsyncIterator<Y, R>, each: (value: Y) => void): AsyncGenerator<Y, R> {
  for (;;) {
    const step = await it.next();
    if (step.done) return step.value;
    each(step.value);
    yield step.value;
  }
}
