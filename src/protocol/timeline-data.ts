/**
 * The data the timeline page receives, under the protocol's name: the page takes these from
 * here and nothing from the engine itself. The types are the store's own (one definition, so
 * host and page cannot drift); the constants decode a window's run classes, and `basename`
 * names an input the way every other view does.
 */
export type { ChangeRow, Inspection, LineRef, TimelineData, TimelineFinding, TimelineMeta } from '../core/store/timeline';
export type { TimeAxis } from '../core/store/event-table';
export type { WindowData } from '../core/store/window';
export { MIXED, NONE } from '../core/store/run-codes';
export { basename } from '../core/paths';
