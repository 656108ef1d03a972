/** The byte writer behind `events --format json` must write what JSON.stringify writes, byte for byte. */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { TextBytes } from '../../../src/core/text/bytes';

const decoder = new TextDecoder();

function written(write: (out: TextBytes) => void, capacity = 4): string {
  // A tiny first buffer makes every piece grow it at least once.
  const out = new TextBytes(capacity);
  write(out);
  return decoder.decode(out.take());
}

describe('TextBytes', () => {
  it('writes numbers as JSON does, null for the non-finite ones', () => {
    const cases = [0, -0, 1, -1, 9, 10, 999_999_999, 1e9, 1e9 + 1, 1_000_000_007, 1774365700000073, Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 1.5, -0.25, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (const n of cases) assert.equal(written((o) => o.jsonNumber(n)), JSON.stringify(n) ?? 'null', `${n}`);
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double()), (n) => {
      assert.equal(written((o) => o.jsonNumber(n)), JSON.stringify(n));
    }));
  });

  it('writes bigints as "0x…" hex strings, beyond 53 bits too', () => {
    const cases = [0n, 1n, 15n, 16n, 0x200000n, 0x1fffffffffffffn, 0x20000000000000n, 0xffffffffffffffffn, (1n << 80n) + 5n];
    for (const v of cases) assert.equal(written((o) => o.jsonHex(v)), `"0x${v.toString(16)}"`);
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 1n << 70n }), (v) => {
      assert.equal(written((o) => o.jsonHex(v)), `"0x${v.toString(16)}"`);
    }));
  });

  it('writes strings as JSON.stringify does: quotes, escapes, control characters, any Unicode', () => {
    for (const s of ['', 'range', 'a"b', 'back\\slash', 'tab\there', 'new\nline', '\u007f', 'é', '\u2028', '😀', '\ud800 lone']) {
      assert.equal(written((o) => o.jsonString(s)), JSON.stringify(s));
    }
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      assert.equal(written((o) => o.jsonString(s)), JSON.stringify(s));
    }));
  });

  it('keeps pieces in order across growth and hands over what was written once', () => {
    const out = new TextBytes(8);
    out.ascii('{"a":');
    out.jsonNumber(12345678901);
    out.text(',"b":"ü"}');
    assert.equal(out.size, Buffer.byteLength('{"a":12345678901,"b":"ü"}'));
    assert.equal(decoder.decode(out.take()), '{"a":12345678901,"b":"ü"}');
    assert.equal(out.size, 0);
    out.ascii('x');
    assert.equal(decoder.decode(out.take()), 'x');
  });
});
