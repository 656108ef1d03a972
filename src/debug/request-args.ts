/**
 * What each request the replay adapter answers must carry, checked before its handler runs:
 * a field of the wrong type is an error reply naming it, and a request that moves or inspects
 * the replay before `launch` is told to launch first. The launch configuration has its own,
 * fuller check (args.ts).
 */
import { REPLAY_TO_LINE_REQUEST, WHAT_IF_REQUEST } from './messages';
import { boolean, checkFields, describe, integer, isObject, list, object, optional, type Shape, shape, string } from './shapes';

const thread = { threadId: optional(integer) };
const count = shape('a whole number, 0 or more', (v) => Number.isSafeInteger(v) && (v as number) >= 0);
const source = object({ path: optional(string) }, 'a source like { "path": "guest.log" }');
/** A list of objects: `example` shows one, in the message for a wrong list or a wrong item. */
const objects = (example: string, shapes: Record<string, Shape>) => list(`objects like ${example}`, object(shapes, `an object like ${example}`));

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
    breakpoints: optional(objects('{ "line": 22 }', { line: integer, condition: optional(string) })),
  },
  setFunctionBreakpoints: { breakpoints: objects('{ "name": "position == 10" }', { name: string, condition: optional(string) }) },
  setExceptionBreakpoints: {
    filters: list('filter names like "error"', string),
    filterOptions: optional(objects('{ "filterId": "codes", "condition": "HPL001" }', { filterId: string, condition: optional(string) })),
  },
  dataBreakpointInfo: { name: string, variablesReference: optional(integer) },
  setDataBreakpoints: { breakpoints: objects('{ "dataId": "sb:virtio5:0x108000000" }', { dataId: string }) },
  stackTrace: { ...thread, startFrame: optional(count), levels: optional(count) },
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
