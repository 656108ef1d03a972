/** Addresses, sizes and timestamps as people read them (src/core/text). */
import { strict as assert } from 'node:assert';
import { hexString, sizeText } from '../../../src/core/text/hex';
import { eventTimeText } from '../../../src/core/text/time';

describe('text: addresses, sizes, timestamps', () => {
  it('prints addresses in lower-case hex without padding', () => {
    assert.equal(hexString(0n), '0x0');
    assert.equal(hexString(0x1_0800_0000n), '0x108000000');
  });

  it('names the round unit of a size, and only of a round one', () => {
    assert.equal(sizeText(0x8000_0000n), '0x80000000 (2 GiB)');
    assert.equal(sizeText(0x800_0000n), '0x8000000 (128 MiB)');
    assert.equal(sizeText(0x1000n), '0x1000');
    assert.equal(sizeText(0n), '0x0');
  });

  it('prints each clock as its log does: boot seconds, UTC or local ISO-8601', () => {
    assert.equal(eventTimeText({ clock: 'boot', micros: 5707_392231 }), '5707.392231');
    assert.equal(eventTimeText({ clock: 'boot', micros: 42 }), '0.000042');
    assert.equal(eventTimeText({ clock: 'wall', micros: 1774364400_123456 }), '2026-03-24T15:00:00.123456Z');
    assert.equal(eventTimeText({ clock: 'wall-local', micros: 1774364400_123456 }), '2026-03-24T15:00:00.123456');
  });
});
