/**
 * The DOM around the canvas: legend, finding list, "what changed here", tooltip and the
 * status line. Log text and file names only ever go in through textContent: they are data.
 */
import { basename, type ChangeRow, type Inspection, type TimelineFinding, type TimelineMeta } from '../../src/protocol/timeline-data';
import { formatSpan, formatTime } from './axis';
import { hex } from './rows';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function renderLegend(host: HTMLElement, meta: TimelineMeta): void {
  host.replaceChildren(
    ...meta.classes.map((c, i) => {
      const item = el('div', 'legend-item');
      item.title = c.meaning;
      const swatch = el('span', `swatch state-${i}${c.id === 'unknown' ? ' hatched' : ''}`);
      item.append(swatch, el('span', undefined, c.label));
      return item;
    }),
    legendNote('hatched', 'mixed: more than one state in the bin'),
    legendNote('marker', 'finding (colour = severity)'),
  );
}

function legendNote(kind: string, text: string): HTMLElement {
  const item = el('div', 'legend-item');
  item.append(el('span', `swatch ${kind}`), el('span', undefined, text));
  return item;
}

export function renderFindingList(host: HTMLElement, findings: readonly TimelineFinding[], meta: TimelineMeta, onPick: (f: TimelineFinding) => void): void {
  if (findings.length === 0) {
    host.replaceChildren(el('p', 'empty', meta.findings.length === 0 ? 'No findings: the logs are consistent.' : 'No finding matches the filter.'));
    return;
  }
  host.replaceChildren(
    ...findings.map((f) => {
      const item = el('button', `finding severity-${f.severity}`);
      item.type = 'button';
      item.dataset.index = String(f.index);
      item.append(el('span', 'code', f.code), el('span', 'where', `${fileName(meta.inputs[f.input])}:${f.line}`), el('span', 'message', f.message));
      item.addEventListener('click', () => onPick(f));
      return item;
    }),
  );
}

export function markFinding(host: HTMLElement, index: number | undefined): void {
  for (const item of host.querySelectorAll<HTMLElement>('.finding')) {
    const on = item.dataset.index === String(index);
    item.classList.toggle('selected', on);
    item.setAttribute('aria-current', on ? 'true' : 'false');
    if (on) item.scrollIntoView({ block: 'nearest' });
  }
}

export interface ChangesView {
  input: number;
  line: number;
  text?: string;
  rows: ChangeRow[];
}

export function renderChanges(host: HTMLElement, meta: TimelineMeta, view: ChangesView | undefined, actions: { reveal(): void; replay?(): void }): void {
  if (!view) {
    host.replaceChildren(el('p', 'empty', 'Click a state or a finding to see what its log line changed.'));
    return;
  }
  const head = el('div', 'changes-head');
  const link = el('a', 'line-link', `${fileName(meta.inputs[view.input])}:${view.line}`);
  link.href = '#';
  link.addEventListener('click', (e) => {
    e.preventDefault();
    actions.reveal();
  });
  head.append(link);
  if (actions.replay) {
    const replay = el('vscode-button', 'replay', 'Replay to here');
    replay.setAttribute('secondary', '');
    replay.addEventListener('click', () => actions.replay?.());
    head.append(replay);
  }
  const parts: HTMLElement[] = [head];
  if (view.text !== undefined) parts.push(el('pre', 'log-line', view.text));
  if (view.rows.length === 0) parts.push(el('p', 'empty', 'This line changed no subblock state.'));
  for (const r of view.rows) {
    const block = el('div', 'change');
    block.append(
      el('div', 'change-range', `${r.device} [${hex(r.start)}, ${hex(r.end)}) · ${r.action}${r.inferred ? ' (inferred)' : ''}`),
      el('div', 'change-tuple', `${r.before} → ${r.after}`),
    );
    for (const c of r.changes) block.append(el('div', 'change-component', c));
    parts.push(block);
  }
  host.replaceChildren(...parts);
}

/** Tooltip lines for what the pointer is over. */
export function inspectionLines(meta: TimelineMeta, i: Inspection & { text?: string }): string[] {
  if (i.kind === 'group') {
    const lanes = i.laneTo - i.laneFrom;
    const counts = i.counts.flatMap((n, c) => (n > 0 ? [`${n} × ${meta.classes[c].label}`] : []));
    const lines = [`${lanes} subblocks`, ...counts];
    if (i.setBy) lines.push(`last change: ${fileName(meta.inputs[i.setBy.input])}:${i.setBy.line} (${i.setBy.action})`);
    if (i.text !== undefined) lines.push(i.text);
    return lines;
  }
  const lines = [
    `${i.device} subblock ${hex(i.address)} (memory block ${i.memoryBlock})`,
    `${meta.classes[i.classIndex].label}: ${i.stateText}`,
    `from ${formatTime(i.since, meta.axis)} for ${formatSpan(i.until - i.since, meta.axis)}`,
  ];
  if (i.setBy) {
    lines.push(`set by ${fileName(meta.inputs[i.setBy.input])}:${i.setBy.line} (${i.setBy.action}${i.setBy.inferred ? ', inferred' : ''})`);
    if (i.text !== undefined) lines.push(i.text);
  } else {
    lines.push('state before the first logged change');
  }
  return lines;
}

export function findingLines(meta: TimelineMeta, f: TimelineFinding): string[] {
  return [`${f.code} ${f.name} (${f.severity})`, `${fileName(meta.inputs[f.input])}:${f.line} at ${formatTime(f.time, meta.axis)}`, f.message];
}

export function showTooltip(tip: HTMLElement, lines: string[], x: number, y: number): void {
  tip.replaceChildren(...lines.map((line, i) => el('div', i === 0 ? 'tip-title' : i === lines.length - 1 && line.length > 60 ? 'tip-log' : 'tip-line', line)));
  tip.hidden = false;
  const bounds = tip.parentElement?.getBoundingClientRect();
  const maxX = (bounds?.width ?? window.innerWidth) - tip.offsetWidth - 4;
  tip.style.left = `${Math.max(4, Math.min(x + 14, maxX))}px`;
  tip.style.top = `${y + 16}px`;
}

/** The file name of an input's path, `?` for an input the page does not know. */
export function fileName(path: string | undefined): string {
  return path ? basename(path) || path : '?';
}
