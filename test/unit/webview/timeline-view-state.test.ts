/**
 * The timeline page's view state, window fetcher, hit testing and saved state, in Node (no
 * DOM): a hand-made run of two devices (12 subblocks, memory blocks of 4) and four findings,
 * and what each user action leaves behind.
 */
import { strict as assert } from 'node:assert';
import { STATE_CLASSES } from '../../../src/core/store/state-class';
import type { TimelineFinding, TimelineMeta, WindowData } from '../../../src/protocol/timeline-data';
import { hitAt } from '../../../webview/timeline/hit';
import { HEADER_HEIGHT, LAYOUT } from '../../../webview/timeline/layout';
import { savedState, savedView } from '../../../webview/timeline/saved-state';
import { ViewState } from '../../../webview/timeline/view-state';
import { type AskWindow, WindowFetcher } from '../../../webview/timeline/windows';

const MiB2 = 0x200000;
const cls = (id: string) => STATE_CLASSES.findIndex((c) => c.id === id);

function finding(index: number, code: string, time: number, laneFrom: number, laneTo: number): TimelineFinding {
  return { index, code, name: code, severity: 'error', message: `${code} here`, rootCause: 'x', input: 0, line: 10 + index, time, laneFrom, laneTo };
}

/** virtio0: lanes 0–7 (memory512, memory513); virtio1: lanes 8–11 (memory1024). Lane 5 went stale by an unplug. */
function meta(over: Partial<TimelineMeta> = {}): TimelineMeta {
  const laneClasses = new Uint16Array(12).fill(1 << cls('online'));
  laneClasses[5] |= 1 << cls('stale');
  const laneActions = new Uint32Array(12).fill(0b01);
  laneActions[5] |= 0b10;
  return {
    inputs: ['/logs/guest.log', '/logs/qemu.log'],
    axis: 'boot',
    t0: 0,
    t1: 1000,
    lanes: 12,
    devices: [
      { device: 'virtio0', base: 0x100000000, subblockSize: MiB2, memoryBlockSize: 4 * MiB2, firstLane: 0, count: 8 },
      { device: 'virtio1', base: 0x200000000, subblockSize: MiB2, memoryBlockSize: 4 * MiB2, firstLane: 8, count: 4 },
    ],
    classes: STATE_CLASSES,
    actions: ['plug', 'unplug'],
    eventCount: 40,
    // In time order: 1 and 2 (same time, by index), 0, 3. Finding 2 names no address.
    findings: [finding(0, 'HPL001', 500, 5, 6), finding(1, 'HPL004', 200, 9, 11), finding(2, 'HPL002', 200, -1, -1), finding(3, 'HPL001', 800, 0, 8)],
    laneClasses,
    laneActions,
    ...over,
  };
}

const ALL_ROWS = ['d:virtio0', 'b:virtio0:512', 'l:0', 'l:1', 'l:2', 'l:3', 'b:virtio0:513', 'l:4', 'l:5', 'l:6', 'l:7', 'd:virtio1', 'b:virtio1:1024', 'l:8', 'l:9', 'l:10', 'l:11'];
/** A chart five rows tall, its time axis one pixel per microsecond from 0 to 1000 (after `view.viewport.show(0, 1000, 0)`). */
const WIDTH = LAYOUT.labelWidth + 1000;
const HEIGHT = HEADER_HEIGHT + 5 * LAYOUT.rowHeight;

function loaded(m = meta()): ViewState {
  const view = new ViewState();
  view.setSize(WIDTH, HEIGHT);
  view.load(m);
  view.viewport.show(0, 1000, 0);
  return view;
}

const keys = (view: ViewState) => view.rows.map((r) => r.key);
const shown = (view: ViewState) => view.shownFindings.map((f) => f.index);

describe('timeline view state', () => {
  describe('rows', () => {
    it('opens every memory block of a small run, and toggles a block but not a subblock', () => {
      const view = loaded();
      assert.deepEqual(keys(view), ALL_ROWS);
      assert.equal(view.toggle(2), false, 'a subblock has nothing to open');
      assert.equal(view.toggle(6), true);
      assert.deepEqual(keys(view).slice(5, 9), ['l:3', 'b:virtio0:513', 'd:virtio1', 'b:virtio1:1024']);
      assert.equal(view.rows[6].expanded, false);
      view.toggle(6);
      assert.deepEqual(keys(view), ALL_ROWS);
    });

    it('collapses all to devices and expands all again, keeping the selection on a row that exists', () => {
      const view = loaded();
      view.selectRow(16);
      view.expandAll(false);
      assert.deepEqual(keys(view), ['d:virtio0', 'b:virtio0:512', 'b:virtio0:513', 'd:virtio1', 'b:virtio1:1024']);
      assert.deepEqual([...view.expanded].sort(), ['d:virtio0', 'd:virtio1']);
      assert.equal(view.selectedRow, 4, 'the last row, not one past the end');
      view.expandAll(true);
      assert.deepEqual(keys(view), ALL_ROWS);
    });

    it('expands all only the memory blocks the filter leaves', () => {
      const view = loaded();
      view.expandAll(false);
      view.setFilter('virtio1');
      view.expandAll(true);
      assert.deepEqual(keys(view), ['d:virtio1', 'b:virtio1:1024', 'l:8', 'l:9', 'l:10', 'l:11']);
      view.setFilter('');
      assert.deepEqual(keys(view), ['d:virtio0', 'b:virtio0:512', 'b:virtio0:513', 'd:virtio1', 'b:virtio1:1024', 'l:8', 'l:9', 'l:10', 'l:11']);
    });
  });

  describe('filter', () => {
    it('narrows rows and findings together; a finding that names no address stays', () => {
      const view = loaded();
      view.setFilter('stale');
      assert.deepEqual(keys(view), ['d:virtio0', 'b:virtio0:513', 'l:5']);
      assert.deepEqual(shown(view), [0, 2, 3], 'findings over lane 5, and the one that names no address');
      view.setFilter('kind:unplug');
      assert.deepEqual(keys(view), ['d:virtio0', 'b:virtio0:513', 'l:5']);
      view.setFilter('HPL004');
      assert.deepEqual(keys(view), ['d:virtio1', 'b:virtio1:1024', 'l:9', 'l:10']);
      assert.deepEqual(shown(view), [1]);
      view.setFilter('virtio1 stale');
      assert.deepEqual(keys(view), []);
      assert.deepEqual(shown(view), [2]);
    });

    it('ignores what it does not understand, and says so', () => {
      const view = loaded();
      view.setFilter('virtio9');
      assert.deepEqual(view.filter?.unknown, ['virtio9']);
      assert.deepEqual(keys(view), ALL_ROWS);
      assert.deepEqual(shown(view), [0, 1, 2, 3]);
    });

    it('keeps text typed before the run came, and applies it when it does', () => {
      const view = new ViewState();
      view.setFilter('HPL004');
      view.load(meta());
      assert.deepEqual(shown(view), [1]);
    });
  });

  describe('findings', () => {
    it('steps through the shown findings in time order (index breaks ties) and wraps round at both ends', () => {
      const view = loaded();
      const walk = (direction: 1 | -1, n: number) => Array.from({ length: n }, () => view.stepFinding(direction)?.index);
      assert.deepEqual(walk(1, 5), [1, 2, 0, 3, 1]);
      assert.deepEqual(walk(-1, 2), [3, 0]);
      const back = loaded();
      assert.equal(back.stepFinding(-1)?.index, 3, 'backwards from nothing: the last');
      back.setFilter('HPL004');
      assert.equal(back.stepFinding(1)?.index, 1);
      assert.equal(back.stepFinding(1)?.index, 1, 'one shown finding: it again');
      back.setFilter('virtio1 HPL001');
      assert.equal(back.stepFinding(1), undefined);
    });

    it('selects the first row that shows the finding’s lanes, scrolled into view, with the cursor on its time', () => {
      const view = loaded();
      view.viewport.show(0, 100, 0);
      view.pickFinding(meta().findings[0]);
      assert.equal(view.selectedFinding, 0);
      assert.equal(view.cursor, 500);
      assert.ok(view.viewport.start <= 500 && view.viewport.end >= 500, 'its time is in view');
      assert.equal(view.rows[view.selectedRow].key, 'l:5');
      assert.equal(view.scrollTop, 9 * LAYOUT.rowHeight - 5 * LAYOUT.rowHeight, 'row 8 is the last one in view');
      view.toggle(6);
      view.pickFinding(meta().findings[0]);
      assert.equal(view.rows[view.selectedRow].key, 'b:virtio0:513', 'a closed block shows its lanes');
      view.pickFinding(meta().findings[3]);
      assert.equal(view.rows[view.selectedRow].key, 'l:0', 'the first of the device’s lanes shown');
      view.pickFinding(meta().findings[2]);
      assert.equal(view.rows[view.selectedRow].key, 'l:0', 'no address: the selection stays');
      assert.equal(view.finding?.index, 2);
    });
  });

  describe('scrolling and selection', () => {
    it('keeps the scroll between the first row and the last row at the bottom', () => {
      const view = loaded();
      const max = ALL_ROWS.length * LAYOUT.rowHeight - 5 * LAYOUT.rowHeight;
      view.scrollTo(10_000);
      assert.equal(view.scrollTop, max);
      view.scrollTo(-5);
      assert.equal(view.scrollTop, 0);
      assert.equal(view.contentHeight, HEADER_HEIGHT + ALL_ROWS.length * LAYOUT.rowHeight);
      assert.equal(view.pageRows, 5);
    });

    it('clamps the selected row and scrolls it into view', () => {
      const view = loaded();
      view.selectRow(100);
      assert.equal(view.selectedRow, ALL_ROWS.length - 1);
      assert.equal(view.scrollTop, (ALL_ROWS.length - 5) * LAYOUT.rowHeight);
      view.selectRow(3);
      assert.equal(view.scrollTop, 3 * LAYOUT.rowHeight, 'scrolled up just enough');
      view.selectRow(-3);
      assert.deepEqual([view.selectedRow, view.scrollTop], [0, 0]);
    });

    it('zooms to a box drawn either way, and not to one without width', () => {
      const view = loaded();
      view.box = { x0: LAYOUT.labelWidth + 600, x1: LAYOUT.labelWidth + 200 };
      view.zoomToBox();
      assert.deepEqual([view.viewport.start, view.viewport.end, view.box], [200, 600, undefined]);
      view.box = { x0: 300, x1: 300 };
      view.zoomToBox();
      assert.deepEqual([view.viewport.start, view.viewport.end], [200, 600]);
    });

    it('anchors keyboard zoom on the cursor when it is in view, else on the middle', () => {
      const view = loaded();
      assert.equal(view.cursorX(), LAYOUT.labelWidth + 500);
      view.setCursor(250, false);
      assert.equal(view.cursorX(), LAYOUT.labelWidth + 250);
      assert.equal(view.focusTime, 250);
      view.setCursor(5000, false);
      assert.equal(view.cursorX(), LAYOUT.labelWidth + 500);
    });
  });

  describe('first view', () => {
    it('starts shortly before the first finding when the run is mostly quiet before it', () => {
      const view = new ViewState();
      view.load(meta({ findings: [finding(0, 'HPL001', 900, 0, 1)] }));
      assert.deepEqual([view.viewport.start, view.viewport.end], [850 - 150 * 0.02, 1000 + 150 * 0.02]);
    });
  });

  describe('saved state', () => {
    it('restores the view of the same run, and not that of another', () => {
      const m = meta();
      const a = loaded(m);
      a.setFilter('virtio0');
      a.toggle(1);
      a.viewport.show(100, 300, 0);
      a.scrollTo(2 * LAYOUT.rowHeight);
      a.setCursor(250, false);
      const saved: unknown = JSON.parse(JSON.stringify(savedState(a, m, ['/logs/guest.log'])));
      assert.deepEqual(saved, {
        key: '/logs/guest.log|/logs/qemu.log#40',
        run: ['/logs/guest.log'],
        start: 100,
        end: 300,
        scrollTop: 36,
        expanded: ['d:virtio0', 'd:virtio1', 'b:virtio0:513', 'b:virtio1:1024'],
        filter: 'virtio0',
        cursor: 250,
      });
      const b = new ViewState();
      b.setSize(WIDTH, HEIGHT);
      b.load(m, savedView(saved, m));
      assert.deepEqual(b.snapshot(), a.snapshot());
      assert.deepEqual(keys(b), keys(a));
      assert.equal(savedView(saved, meta({ eventCount: 41 })), undefined, 'the logs changed: another run');
      assert.equal(savedView(undefined, m), undefined);
      assert.equal(savedView('state', m), undefined);
    });
  });

  describe('hit testing', () => {
    it('tells a marker in the header, a label, a marker on its rows, a state and empty space apart', () => {
      const view = loaded();
      const x = (t: number) => LAYOUT.labelWidth + t;
      const y = (row: number) => HEADER_HEIGHT + row * LAYOUT.rowHeight + 5;
      assert.deepEqual(hitAt(view, x(203), 10), { on: 'finding', finding: meta().findings[1], row: -1 });
      assert.deepEqual(hitAt(view, x(350), 10), { on: 'nothing' });
      assert.deepEqual(hitAt(view, 40, y(3)), { on: 'label', row: 3 });
      assert.deepEqual(hitAt(view, x(504), y(8)), { on: 'finding', finding: meta().findings[0], row: 8 });
      assert.deepEqual(hitAt(view, x(500), y(7)), { on: 'state', row: 7, time: 500 }, 'lane 4: not the finding’s');
      assert.deepEqual(hitAt(view, x(506), y(8)), { on: 'state', row: 8, time: 506 }, 'six pixels off is off');
      view.scrollTo(10_000);
      assert.deepEqual(hitAt(view, x(100), y(0)), { on: 'state', row: ALL_ROWS.length - 5, time: 100 }, 'rows as scrolled');
      view.setFilter('stale');
      view.scrollTo(0);
      assert.deepEqual(hitAt(view, x(100), y(3)), { on: 'nothing' }, 'below the last row');
    });
  });

  describe('window fetcher', () => {
    /** A host that answers when told to. */
    function host() {
      const asked: Array<{ request: Parameters<AskWindow>[0]; answer: () => void }> = [];
      const ask: AskWindow = (request) =>
        new Promise<WindowData>((resolve) => {
          const data = { t0: request.t0, t1: request.t1, bins: request.bins } as WindowData;
          asked.push({ request, answer: () => resolve(data) });
        });
      return { asked, ask };
    }
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    it('asks for the view with a view either side, the rows with data, one request at a time', async () => {
      const view = loaded();
      view.expandAll(false);
      view.toggle(0);
      const { asked, ask } = host();
      let arrived = 0;
      const windows = new WindowFetcher(view, ask, () => (arrived += 1));
      windows.update();
      assert.equal(asked.length, 1);
      assert.deepEqual({ ...asked[0].request, rows: [...asked[0].request.rows] }, { t0: -1000, t1: 2000, bins: 3000, rows: [0, 8, 8, 12] }, 'the closed device, and the block under the open one');
      view.viewport.zoom(8);
      windows.update();
      assert.equal(asked.length, 1, 'the next waits for the reply');
      asked[0].answer();
      await settle();
      assert.equal(arrived, 1);
      assert.equal(windows.shown?.rowOfKey.get('b:virtio1:1024'), 1);
      assert.equal(asked.length, 2, 'asked again for the view as it is now');
      assert.equal(asked[1].request.t0, view.viewport.start - view.viewport.span);
      asked[1].answer();
      await settle();
      assert.ok(windows.fits());
      windows.update();
      assert.equal(asked.length, 2, 'a window that fits is kept');
      view.viewport.pan(300);
      assert.ok(windows.fits(), 'panning a third of a view draws from it');
      view.viewport.zoom(8);
      assert.equal(windows.fits(), false, 'too coarse once zoomed in');
    });

    it('leaves an open device row (a heading) out, and drops a reply asked for a run since replaced', async () => {
      const view = loaded();
      const { asked, ask } = host();
      let arrived = 0;
      const windows = new WindowFetcher(view, ask, () => (arrived += 1));
      windows.update();
      assert.equal(asked[0].request.rows.length / 2, ALL_ROWS.length - 2);
      windows.reset();
      view.load(meta({ eventCount: 41 }));
      asked[0].answer();
      await settle();
      assert.equal(arrived, 0);
      assert.equal(windows.shown, undefined);
      assert.equal(asked.length, 2, 'asked again, for the new run');
      asked[1].answer();
      await settle();
      assert.equal(arrived, 1);
      assert.ok(windows.shown);
    });
  });
});
