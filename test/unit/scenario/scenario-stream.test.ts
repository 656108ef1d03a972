/**
 * The generator streams: big scenarios come out in small chunks, lazily, in memory that does
 * not grow with the output.
 */
import { strict as assert } from 'node:assert';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseScenario } from '../../../src/core/scenario/parse';
import { simulate } from '../../../src/core/scenario/simulate';

/** A full garbage collection, so that heap samples show live data only. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('scenario: streaming', function () {
  this.timeout(120_000);

  it('writes 50 MB of logs in chunks while the live heap stays flat', () => {
    const run = simulate(parseScenario('repeat 8000 { resize 2G; resize 0 }'));
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let bytes = 0;
    let chunks = 0;
    let largest = 0;
    let peak = 0;
    let nextSample = 0;
    let step = run.next();
    while (!step.done) {
      const size = step.value.guest.length + step.value.qemu.length + step.value.host.length;
      bytes += size;
      chunks += 1;
      largest = Math.max(largest, size);
      if (bytes >= nextSample) {
        collectGarbage();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        nextSample += 5_000_000;
      }
      step = run.next();
    }
    assert.ok(bytes > 50_000_000, `${bytes} bytes written`);
    assert.equal(step.value.lines.qemu, 8000 * (1 + 16 * 2 + 16 * 3), 'per cycle: Q6 on growth, Q2+Q1 and Q3+P2+Q1 per block');
    assert.ok(chunks > 500, `${chunks} chunks`);
    assert.ok(largest < 256 * 1024, `largest chunk ${largest} characters`);
    assert.ok(peak < 8 * 1024 * 1024, `live heap grew by ${peak} bytes`);
  });

  it('is lazy: the first chunks of an endless-looking scenario come at once', () => {
    const started = Date.now();
    const run = simulate(parseScenario('repeat 100000000 { resize 2G; resize 0 }'));
    for (let i = 0; i < 20; i++) assert.equal(run.next().done, false);
    assert.ok(Date.now() - started < 2000, 'no work ahead of the reader');
  });

  it('keeps chunks small inside one huge statement', () => {
    const run = simulate(parseScenario('device virtio5 at 0x100000000 size 64G block 2M\nguest tdx\ndriver coco-rfc\nresize 64G'));
    let largest = 0;
    let chunks = 0;
    for (let step = run.next(); !step.done; step = run.next()) {
      largest = Math.max(largest, step.value.guest.length + step.value.qemu.length);
      chunks += 1;
    }
    assert.ok(chunks > 100, `${chunks} chunks`);
    assert.ok(largest < 256 * 1024, `largest chunk ${largest} characters`);
  });
});
