/**
 * The replay's touches are the model's change log (model/history.ts) read by event: over the
 * example, what the cursor recorded on its first pass is the history the views keep, record
 * for record once subblocks reported one by one are joined as the views join them, and each
 * record's `seq` is the index of the event that made it.
 */
import { strict as assert } from 'node:assert';
import { analyzeForViews } from '../../../src/core/analyze-for-views';
import { changeAt } from '../../../src/core/model/history';
import { ReplayCursor } from '../../../src/core/replay/cursor';
import type { Touch } from '../../../src/core/replay/touches';
import { loadTrace } from '../../../src/core/replay/trace';
import { fileSource } from '../../../src/node/inputs';
import { EXAMPLE_LOGS } from './replay-example';

type Row = Omit<Touch, 'index'>;

/** Neighbouring records of one event, line, device, states and action as one (the views' joining). */
function joined(rows: readonly Row[]): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    const same = last && last.event === r.event && last.end === r.start && last.input === r.input && last.line === r.line &&
      last.device === r.device && last.before === r.before && last.after === r.after && last.action === r.action && last.inferred === r.inferred;
    if (same) last.end = r.end;
    else out.push({ ...r });
  }
  return out;
}

describe('replay touches', () => {
  it('are the history the views keep, with the event index as seq', async () => {
    const sources = await Promise.all(EXAMPLE_LOGS.map((f) => fileSource(f)));
    const trace = await loadTrace(sources);
    const cursor = new ReplayCursor(trace);
    cursor.seek(trace.events.length);
    const touched: Row[] = [];
    for (let e = 0; e < trace.events.length; e++) {
      for (const { index: _, ...t } of cursor.touches.of(e)) touched.push(t);
    }
    assert.equal(touched.length, cursor.touches.size);
    const { history } = await analyzeForViews(sources);
    const kept: Row[] = [];
    for (let k = 0; k < history.count; k++) {
      const { index: _, ...c } = changeAt(history, k);
      kept.push({ ...c, event: history.seq[k] });
    }
    assert.ok(kept.length > 100);
    assert.ok(touched.length > kept.length, 'the replay keeps one-by-one subblocks apart');
    assert.deepStrictEqual(joined(touched), kept);
  });
});
