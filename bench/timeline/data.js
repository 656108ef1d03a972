// The timeline bench's input: a synthetic run of ≈1 M state intervals over 16 384 lanes, built
// the way an analysis builds it — history records (HistoryRecorder) over lane ranges, then the
// interval store (buildIntervals) — with an event table at the records' times and findings
// placed on the lanes that went stale. Deterministic (seeded).
const { HistoryRecorder } = require('../../out/src/core/model/history.js');
const { buildIntervals } = require('../../out/src/core/store/intervals.js');
const { COMPONENTS, COMPONENT_NAMES, TUPLES } = require('../../out/src/core/model/state.js');
const { CLASS_OF_TUPLE } = require('../../out/src/core/store/state-class.js');

const MiB = 1024 * 1024;
const MAX_REPORT_LINES = 200_000;

/** Tuple number of a state given as components (the mixed-radix number of state.ts). */
function tuple(t) {
  let n = 0;
  for (let i = COMPONENT_NAMES.length - 1; i >= 0; i--) {
    const c = COMPONENT_NAMES[i];
    const v = COMPONENTS[c].indexOf(t[c] ?? 'unknown');
    if (v < 0) throw new Error(`no ${c} ${t[c]}`);
    n = n * COMPONENTS[c].length + v;
  }
  for (const c of COMPONENT_NAMES) if (TUPLES[n][c] !== (t[c] ?? 'unknown')) throw new Error('tuple encoding');
  return n;
}

// A subblock's life in a TD resized up and down: plug, accept on online, conversions to shared
// and back, offline, unplug — and, now and then, an unplug that leaves the page accepted (stale).
const S = {
  unknown: 0,
  unplugged: tuple({ dev: 'unplugged', use: 'none', attr: 'private', accept: 'free', backing: 'hole' }),
  pending: tuple({ dev: 'plugged', use: 'none', attr: 'private', accept: 'pending', backing: 'page' }),
  online: tuple({ dev: 'plugged', use: 'buddy', attr: 'private', accept: 'accepted', backing: 'page' }),
  shared: tuple({ dev: 'plugged', use: 'buddy', attr: 'shared', accept: 'free', backing: 'hole' }),
  offline: tuple({ dev: 'plugged', use: 'offline', attr: 'private', accept: 'accepted', backing: 'page' }),
  held: tuple({ dev: 'plugged', use: 'driver-held', attr: 'private', accept: 'accepted', backing: 'page' }),
  stale: tuple({ dev: 'unplugged', use: 'none', attr: 'private', accept: 'stale', backing: 'page' }),
  replugStale: tuple({ dev: 'plugged', use: 'none', attr: 'private', accept: 'stale', backing: 'page' }),
};
const STAGES = Object.keys(S);
const stageOf = new Map(STAGES.map((name, i) => [S[name], i]));

/** The next state and the action that gets there. */
function next(state, rnd) {
  switch (state) {
    case S.unknown:
    case S.unplugged:
      return [S.pending, 'plug'];
    case S.pending:
      return [S.online, 'online'];
    case S.online:
      return rnd() < 0.45 ? [S.shared, 'toShared'] : rnd() < 0.5 ? [S.held, 'offline'] : [S.offline, 'offline'];
    case S.shared:
      return [S.online, 'toPrivate'];
    case S.offline:
    case S.held:
      return rnd() < 0.03 ? [S.stale, 'unplug'] : [S.unplugged, 'unplug'];
    case S.stale:
      return [S.replugStale, 'plug'];
    case S.replugStale:
      return [S.online, 'online'];
    default:
      throw new Error(`state ${state}`);
  }
}

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `devices` × `lanesPerDevice` lanes of 2 MiB subblocks in 128 MiB memory blocks; changes over
 * lane runs until the store holds `intervals` intervals; times over `seconds` of a run, in
 * bursts (a resize every two minutes, its changes within the first 40 s).
 */
function makeTimelineData({ devices = 4, lanesPerDevice = 4096, intervals = 1_000_000, seconds = 3600, seed = 5 } = {}) {
  const rnd = mulberry32(seed);
  const subblockSize = 2 * MiB;
  const memoryBlockSize = 128 * MiB;
  const lanesPerBlock = memoryBlockSize / subblockSize;
  const names = Array.from({ length: devices }, (_, d) => `virtio${d + 5}`);
  const bases = names.map((_, d) => 0x100000000 + d * lanesPerDevice * subblockSize * 2);
  const lanes = devices * lanesPerDevice;
  // The last device starts unknown (no geometry logged before its first change).
  const current = new Uint16Array(lanes).map((_, l) => (Math.floor(l / lanesPerDevice) === devices - 1 ? S.unknown : S.unplugged));

  // 1. The changes: lane runs that share a state, as the model reports them.
  const changes = [];
  let total = lanes;
  while (total < intervals) {
    const d = Math.floor(rnd() * devices);
    const block = Math.floor(rnd() * (lanesPerDevice / lanesPerBlock));
    const r = rnd();
    const want = r < 0.3 ? 1 : r < 0.75 ? 2 + Math.floor(rnd() * 15) : lanesPerBlock;
    const first = d * lanesPerDevice + block * lanesPerBlock + (want === lanesPerBlock ? 0 : Math.floor(rnd() * (lanesPerBlock - want + 1)));
    const before = current[first];
    let end = first + 1;
    while (end < first + want && current[end] === before) end++;
    end = Math.min(end, first + (intervals - total));
    const [after, action] = next(before, rnd);
    current.fill(after, first, end);
    changes.push({ d, first, end, before, after, action });
    total += end - first;
  }

  // 2. Times in bursts, then events: each change is one log line, between two lines of noise.
  const n = changes.length;
  const cycles = Math.max(1, Math.floor(seconds / 120));
  const t0 = 5e6;
  const events = { time: [], input: [], line: [], offset: [], kind: [] };
  const lines = [0, 0];
  const offsets = [0, 0];
  const text = {};
  const event = (time, input, kind, line) => {
    events.time.push(time);
    events.input.push(input);
    events.line.push(line);
    events.offset.push(offsets[input]);
    events.kind.push(kind);
    offsets[input] += 96;
    return events.time.length - 1;
  };
  const recorder = { seq: -1 };
  const history = new HistoryRecorder(undefined, () => recorder.seq);
  const kinds = ['noise', 'plug', 'online', 'offline', 'unplug', 'toShared', 'toPrivate'];
  const findings = [];
  let lastTime = t0;
  for (let k = 0; k < n; k++) {
    const c = changes[k];
    const position = (k / n) * cycles;
    const cycle = Math.floor(position);
    const time = Math.max(lastTime, t0 + cycle * 120e6 + (position - cycle) * 40e6 + rnd() * 2e3);
    lastTime = time;
    const input = c.action === 'plug' || c.action === 'unplug' ? 1 : 0;
    if (rnd() < 0.5) event(time, 1 - input, 0, ++lines[1 - input]);
    const line = ++lines[input];
    recorder.seq = event(time, input, kinds.indexOf(c.action), line);
    const start = bases[c.d] + (c.first - c.d * lanesPerDevice) * subblockSize;
    const end = start + (c.end - c.first) * subblockSize;
    history.change(names[c.d], BigInt(start), BigInt(end), c.before, c.after, c.action, { input, line }, false);
    // As `hotplug-lens report` quotes them: the findings' lines and the first MAX_REPORT_LINES changes'.
    if (k < MAX_REPORT_LINES || c.after === S.replugStale) text[`${input}:${line}`] =
      input === 1
        ? `${(time / 1e6).toFixed(6)}:virtio_mem_state_request ${c.action === 'plug' ? 'PLUG' : 'UNPLUG'} addr=0x${start.toString(16)} size=0x${(end - start).toString(16)}`
        : `[${(time / 1e6).toFixed(6).padStart(12)}] virtio_mem ${names[c.d]}: ${c.action} 0x${start.toString(16)}-0x${(end - 1).toString(16)}`;
    if (c.after === S.replugStale && findings.length < 200) {
      findings.push({
        index: findings.length,
        code: 'HPL001',
        name: 'stale-accept',
        severity: 'error',
        message: `re-plugged subblocks 0x${start.toString(16)}-0x${(end - 1).toString(16)} are still accepted: the next accept fails`,
        rootCause: 'unplug-without-discard',
        input,
        line,
        time,
        laneFrom: c.first,
        laneTo: c.end,
      });
    }
  }
  const eventColumns = {
    count: events.time.length,
    kinds,
    input: Int16Array.from(events.input),
    line: Int32Array.from(events.line),
    offset: Float64Array.from(events.offset),
    time: Float64Array.from(events.time),
    kind: Uint8Array.from(events.kind),
    axis: 'boot',
  };
  const historyColumns = history.columns();
  const states = names.map((device, d) => ({
    device,
    base: bases[d],
    subblockSize,
    tuples: current.slice(d * lanesPerDevice, (d + 1) * lanesPerDevice),
    lastInput: new Int16Array(lanesPerDevice),
    lastLine: new Int32Array(lanesPerDevice),
  }));
  const geometries = names.map((device) => ({ device, memoryBlockSize: BigInt(memoryBlockSize), subblockSize: BigInt(subblockSize), deviceBlockSize: BigInt(subblockSize), mode: 'sbm', geometry: 'logged' }));
  const store = buildIntervals({ history: historyColumns, events: eventColumns, states, devices: geometries });
  const timeline = { inputs: ['/var/log/guest-dmesg.log', '/var/log/qemu-trace.log'], events: eventColumns, intervals: store, history: historyColumns, findings };
  return { timeline, lines: text, classOfTuple: Array.from(CLASS_OF_TUPLE), stages: STAGES.length, stageOf };
}

module.exports = { makeTimelineData };
