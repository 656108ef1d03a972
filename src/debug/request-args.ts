/**
 * What each request the replay adapter answers must carry, checked before its handler runs:
 * a field of the wrong type is an error reply naming it, and a request that moves or inspects
 * the replay before `launch` is told to launch first. The launch configuration has its own,
 * fuller check (args.ts).
 */
import { REPLAY_TO_LINE_REQUEST, WHAT_IF_REQUEST } from './messages';
import { boolean, checkFields, describe, integer, isObject, list, object, optional, type Shape, shape, string } from './shapes';

const thread = { threadId: optional(integer) };
const source = object({ path: optional(string) }, 'a source like { "path": "guest.log" }');
const named = (shapes: Record<string, Shape>) => object(shapes, `an object with ${Object.keys(shapes).map((k) => `"${k}"`).join(' and ')}`);

/** The arguments of each request, by command; a command not here takes any object. */
const ARGUMENTS: Record<string, Record<string, Shape>> = {
  initialize: { adapterID: string, linesStartAt1: optional(boolean), columnsStartAt1: optional(boolean), pathFormat: optional(shape('"path" (native paths)', (v) => v === 'path')) },
  disconnect: { restart: optional(boolean), terminateDebuggee: optional(boolean) },
  continue: thread,
  next: thread,
  stepIn: thread,
  stepOut: thread,
  stepBack: thread,
  reverseContinue: thread,
  pause: thread,
  exceptionInfo: thread,
  goto: { ...thread, targetId: integer },
  gotoTargets: { source, line: integer },
  setBreakpoints: {
    source,
    breakpoints: optional(list('breakpoints like { "line": 22 }', named({ line: integer, condition: optional(string) }))),
  },
  setFunctionBreakpoints: { breakpoints: list('breakpoints like { "name": "position == 10" }', named({ name: string, condition: optional(string) })) },
  setExceptionBreakpoints: {
    filters: list('filter names like "error"', string),
    filterOptions: optional(list('filter options like { "filterId": "codes", "condition": "HPL001" }', named({ filterId: string, condition: optional(string) }))),
  },
  dataBreakpointInfo: { name: string, variablesReference: optional(integer) },
  setDataBreakpoints: { breakpoints: list('data breakpoints like { "dataId": "sb:virtio5:0x108000000" }', named({ dataId: string })) },
  stackTrace: { ...thread, startFrame: optional(integer), levels: optional(integer) },
  scopes: { frameId: integer },
  variables: { variablesReference: integer },
  evaluate: { expression: string, context: optional(string), frameId: optional(integer) },
  setVariable: { variablesReference: integer, name: string, value: string },
  [REPLAY_TO_LINE_REQUEST]: { path: string, line: integer },
  [WHAT_IF_REQUEST]: { name: string, value: string },
};

/** Requests that move or look into the replay: without a launched trace there is nothing to answer. */
export const NEED_REPLAY: ReadonlySet<string> = new Set([
  'continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto', 'gotoTargets',
  'stackTrace', 'scopes', 'variables', 'evaluate', 'setVariable', 'dataBreakpointInfo',
  REPLAY_TO_LINE_REQUEST, WHAT_IF_REQUEST,
]);

/** What is wrong with a request's arguments, as one sentence, or undefined when they fit. */
export function checkRequestArgs(command: string, args: unknown): string | undefined {
  const value = args === undefined ? {} : args;
  if (!isObject(value)) return `The arguments of ${command} must be an object, not ${describe(value)}.`;
  const problem = checkFields(Object.hasOwn(ARGUMENTS, command) ? ARGUMENTS[command] : {}, value);
  return problem ? `Bad ${command} request: ${problem}.` : undefined;
}
