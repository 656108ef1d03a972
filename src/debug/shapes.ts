/**
 * Small type checks for what a DAP client sends (launch configurations, request arguments):
 * each says in one sentence which field is wrong and what it expects, so that a bad value is
 * an error reply naming the field, never a TypeError deep in the replay.
 */

/** What is wrong with `value` (named `name`), or undefined when it fits. */
export type Shape = (value: unknown, name: string) => string | undefined;

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** How a wrong value is named back: its kind, never its (possibly huge) content. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number') return Number.isFinite(v) ? `the number ${v}` : 'a number';
  if (typeof v === 'boolean') return String(v);
  return typeof v === 'string' ? 'a string' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The sentence for a field that is not `what`. */
function wrong(name: string, what: string, v: unknown): string {
  return v === undefined ? `"${name}" is missing; it must be ${what}` : `"${name}" must be ${what}, not ${describe(v)}`;
}

/** A value that `fits`; `what` says what is expected. */
export const shape =
  (what: string, fits: (v: unknown) => boolean): Shape =>
  (v, name) =>
    fits(v) ? undefined : wrong(name, what, v);

export const string = shape('a string', (v) => typeof v === 'string');
export const boolean = shape('true or false', (v) => typeof v === 'boolean');
export const integer = shape('a whole number', (v) => Number.isSafeInteger(v));

export const optional =
  (shape: Shape): Shape =>
  (v, name) =>
    v === undefined ? undefined : shape(v, name);

/** A list whose every item has `item`'s shape; `what` says what the list holds. */
export function list(what: string, item: Shape): Shape {
  return (v, name) => {
    if (!Array.isArray(v)) return wrong(name, `a list of ${what}`, v);
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${name}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** The first field of `value` that does not have its shape (others are let through: clients add their own). */
export function checkFields(shapes: Record<string, Shape>, value: Record<string, unknown>, prefix = ''): string | undefined {
  for (const [key, shape] of Object.entries(shapes)) {
    const problem = shape(value[key], `${prefix}${key}`);
    if (problem) return problem;
  }
  return undefined;
}

/** An object with these fields; `what` names it in the message when it is not an object. */
export function object(shapes: Record<string, Shape>, what = 'an object'): Shape {
  return (v, name) => (isObject(v) ? checkFields(shapes, v, `${name}.`) : wrong(name, what, v));
}
