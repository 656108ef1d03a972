/** Subblock states written as `tupleText` prints them, for tests of the state model. */
import { strict as assert } from 'node:assert';
import { COMPONENT_NAMES, type Tuple } from '../../src/core/model/state';

/** `plugged buddy private accepted page` (tupleText's words, `?` for unknown) → a tuple. */
export function tuple(words: string): Tuple {
  const values = words.split(' ');
  assert.equal(values.length, COMPONENT_NAMES.length, words);
  return Object.fromEntries(COMPONENT_NAMES.map((c, k) => [c, values[k] === '?' ? 'unknown' : values[k]])) as Tuple;
}
