// Injected into the report page before its own scripts (page.addInitScript, which the page's
// CSP does not apply to). Records when the embedded data was parsed, and gives the bench a
// naive renderer drawing on the app's own canvas and viewport, and a frame loop that times the
// app and the naive renderer on the same frames, alternately.
(() => {
  const parses = [];
  const parse = JSON.parse;
  // The page drops its data block once parsed: the naive renderer reads the parsed value instead.
  let embedded;
  JSON.parse = function (text, reviver) {
    const start = performance.now();
    const value = parse.call(this, text, reviver);
    if (typeof text === 'string' && text.length > 100_000) {
      parses.push({ start, end: performance.now(), chars: text.length });
      embedded = value;
    }
    return value;
  };

  // When the app got the overview (meta), asked for and got its first window, and drew: the
  // app is wrapped as report-main.ts publishes it (window.timelineApp), before any of that.
  const phases = {};
  let published;
  Object.defineProperty(window, 'timelineApp', {
    configurable: true,
    get: () => published,
    set(app) {
      published = app;
      const wrap = (object, name, before, after) => {
        const original = object[name];
        object[name] = function (...args) {
          before?.(args);
          const value = original.apply(this, args);
          after?.(args, value);
          return value;
        };
      };
      phases.published = performance.now();
      wrap(app, 'load', () => (phases.metaAt ??= performance.now()), () => (phases.loadedAt ??= performance.now()));
      wrap(app, 'drawNow', () => (phases.firstDrawAt ??= performance.now()));
      wrap(
        app.channel,
        'post',
        ([m]) => m.type === 'window' && (phases.windowAskedAt ??= performance.now()),
        ([m]) => m.type === 'window' && (phases.windowAnsweredAt ??= performance.now()),
      );
      wrap(app.requester, 'settle', ([m]) => m.type === 'reply' && m.request === 'window' && (phases.windowArrivedAt ??= performance.now()));
    },
  });

  const now = () => performance.now();
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  let data;
  let classOfTuple;

  // The interval store as the page parsed it (only what the naive renderer needs; read, never changed).
  function loadBaseline(classes) {
    classOfTuple = Uint8Array.from(classes);
    const s = embedded.timeline.intervals;
    data = { laneStart: s.laneStart, start: s.start, state: s.state, t1: s.t1 };
    return s.start.length;
  }

  function releaseBaseline() {
    data = undefined;
  }

  /**
   * The naive renderer: every interval of every lane of the rows in view, one fillRect each (a
   * collapsed memory block or device row draws all its lanes' intervals into the row), with the
   * app's row layout (18 px rows under a 34 px header, 168 px labels) and colours.
   */
  function naive() {
    const app = window.timelineApp;
    const ctx = app.ctx;
    const vp = app.view;
    const rows = app.state.rows;
    const top = app.state.scrollTop;
    const width = app.width;
    const height = app.state.height;
    const colours = app.palette.classes;
    const left = 168;
    const header = 34;
    const rowHeight = 18;
    const { laneStart, start, state, t1 } = data;
    ctx.fillStyle = app.palette.background;
    ctx.fillRect(0, 0, width, height);
    const first = Math.max(0, Math.floor(top / rowHeight));
    const last = Math.min(rows.length, Math.ceil((top + height - header) / rowHeight));
    let drawn = 0;
    for (let i = first; i < last; i++) {
      const row = rows[i];
      const y = header + i * rowHeight - top;
      const inset = row.kind === 'lane' ? 2 : 1;
      for (let lane = row.laneFrom; lane < row.laneTo; lane++) {
        const end = laneStart[lane + 1];
        for (let k = laneStart[lane]; k < end; k++) {
          const x0 = Math.max(left, vp.x(start[k]));
          const x1 = Math.min(width, vp.x(k + 1 < end ? start[k + 1] : t1));
          if (x1 <= left || x0 >= width) continue;
          ctx.fillStyle = colours[classOfTuple[state[k]]];
          ctx.fillRect(x0, y + inset, Math.max(1, x1 - x0), rowHeight - 2 * inset);
          drawn++;
        }
      }
    }
    return drawn;
  }

  /** Forces the frame's recorded canvas commands to be rasterised (a 1-pixel read-back). */
  function flush(ctx) {
    ctx.getImageData(0, 0, 1, 1);
  }

  /** Lets the app settle: no window request in flight, the window fits the view. */
  async function settle() {
    const app = window.timelineApp;
    for (let i = 0; i < 200; i++) {
      app.drawNow();
      await nextFrame();
      if (!app.windows.fetching && app.windows.fits()) return true;
    }
    return false;
  }

  /** What the app would ask for now (the request of app.windows.update), for the bench to time in Node. */
  function request() {
    const app = window.timelineApp;
    const vp = app.view;
    const { from, to } = app.windows.rowsWanted();
    const rows = [];
    for (const r of app.state.rows.slice(from, to)) rows.push(r.laneFrom, r.laneTo);
    return { t0: vp.start - vp.span, t1: vp.end + vp.span, bins: Math.min(16384, Math.max(1, Math.round(vp.width * 3))), rows };
  }

  /**
   * `frames` frames of `op` ('pan': `step` px per frame, right for the first half, back left
   * for the second; 'zoom': by `step` per frame in about the chart's middle, in then out),
   * each drawn by the app (drawNow) and, when `baseline`, by the naive renderer, in
   * alternating order; one animation frame between frames so that replies land as they would.
   */
  async function frames({ op, frames, step, baseline }) {
    const app = window.timelineApp;
    const ctx = app.ctx;
    const out = { draw: [], query: [], flush: [], wall: [], fetched: [], naive: [], naiveRects: 0, windowsBefore: app.stats.windows };
    const measureApp = () => {
      const wasFetching = app.windows.fetching;
      const a = now();
      const draw = app.drawNow();
      const b = now();
      flush(ctx);
      const c = now();
      out.draw.push(draw);
      out.query.push(b - a - draw);
      out.flush.push(c - b);
      out.wall.push(c - a);
      out.fetched.push(!wasFetching && app.windows.fetching ? 1 : 0);
    };
    const measureNaive = () => {
      const a = now();
      out.naiveRects = Math.max(out.naiveRects, naive());
      flush(ctx);
      out.naive.push(now() - a);
    };
    for (let i = 0; i < frames; i++) {
      const forward = i < frames / 2;
      if (op === 'pan') app.view.pan(forward ? step : -step);
      else app.view.zoom(forward ? step : 1 / step, app.view.left + app.view.width * 0.47);
      if (baseline && i % 2 === 1) measureNaive();
      measureApp();
      if (baseline && i % 2 === 0) measureNaive();
      await nextFrame();
    }
    out.windows = app.stats.windows - out.windowsBefore;
    return out;
  }

  window.__hplBench = { parses, phases, loadBaseline, releaseBaseline, naive, settle, request, frames };
})();
