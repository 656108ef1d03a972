/**
 * The timeline in a standalone report: the data is embedded in the page and the page
 * answers its own requests with the same code the extension host uses.
 */
import { inPageHost } from '../../src/protocol/timeline-answer';
import type { HostMessage, ViewMessage } from '../../src/protocol/timeline';
import { REPORT_DATA_ID, type ReportData, reviveTyped } from '../../src/protocol/report-data';
import { TimelineApp } from './app';
import './elements';
import { fileName } from './panels';
import { reportProblems } from './problems';

const problems: string[] = [];
reportProblems((text) => problems.push(text));
const block = document.getElementById(REPORT_DATA_ID);
const report = JSON.parse(block?.textContent ?? 'null', reviveTyped) as ReportData;
// Parsed once: its text (as big as the data) need not stay in the page.
block?.remove();
const text = (input: number, line: number) => report.lines[`${input}:${line}`];
const host = inPageHost(report.timeline, (ref) => text(ref.input, ref.line));
const listeners: Array<(m: HostMessage) => void> = [];
const send = (m: HostMessage) => setTimeout(() => listeners.forEach((l) => l(m)), 0);

const app = new TimelineApp({
  post(message: ViewMessage) {
    if (message.type === 'ready') {
      // The data is here already: the overview goes out at once, not after the page's first layout.
      const meta: HostMessage = { type: 'meta', meta: host.meta(), title: report.title, canReplay: false };
      queueMicrotask(() => listeners.forEach((l) => l(meta)));
    } else if ('id' in message) {
      // Answered after the frame that asked, as a host across a channel would: a query never lengthens a frame.
      setTimeout(() => void host.answer(message).then((body) => send({ type: 'reply', id: message.id, request: message.type, body })), 0);
    } else if (message.type === 'reveal') {
      // No editor here: the line itself is what there is to show.
      const status = document.getElementById('status');
      if (status) status.textContent = `${fileName(report.timeline.inputs[message.input])}:${message.line}: ${text(message.input, message.line) ?? ''}`;
    }
  },
  listen: (handler) => listeners.push(handler),
  loadState: () => undefined,
  saveState: () => undefined,
});
Object.assign(window, { timelineApp: app, timelineProblems: problems });
