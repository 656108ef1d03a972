/** The CLI writes events with a hand-made JSON writer for speed; it must say what eventToJson says. */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HotplugEvent } from '../../src/core/events';
import { mergeInputs } from '../../src/core/merge/index';
import { eventToJson, writeEventJson } from '../../src/core/serialize';
import { TextBytes } from '../../src/core/text/bytes';
import { fileSource } from '../../src/node/inputs';

const SCENARIOS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'scenarios');

describe('event serialisation', () => {
  it('writeEventJson writes JSON.stringify(eventToJson(event)) for every fixture event', async () => {
    let seen = 0;
    const out = new TextBytes(16);
    const decoder = new TextDecoder();
    for (const dir of readdirSync(SCENARIOS)) {
      const files = readdirSync(join(SCENARIOS, dir)).map((f) => join(SCENARIOS, dir, f));
      const it = mergeInputs(await Promise.all(files.map((f) => fileSource(f))));
      for (let step = await it.next(); !step.done; step = await it.next()) {
        for (const event of step.value as HotplugEvent[]) {
          writeEventJson(out, event);
          assert.equal(decoder.decode(out.take()), JSON.stringify(eventToJson(event)));
          seen += 1;
        }
      }
    }
    assert.ok(seen > 500, `${seen} events`);
  });
});
