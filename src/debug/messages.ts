/**
 * The replay session's own events and requests beyond DAP: what the extension listens for and
 * sends. Kept apart from the session so that the extension can name them without loading it.
 */

/** What the extension listens for to move the timeline's cursor: sent at every stop. */
export const STOPPED_EVENT = 'hotplugReplay.stopped';
/** Sent after a what-if re-run, for the notification. */
export const WHAT_IF_EVENT = 'hotplugReplay.whatIf';
/** Custom request: move the session to the first event on a line (`{ path, line }`). */
export const REPLAY_TO_LINE_REQUEST = 'hotplugReplay.toLine';
/** Custom request: force a policy and replay to here (`{ name, value }`), as setVariable on Policies does. */
export const WHAT_IF_REQUEST = 'hotplugReplay.whatIf';
