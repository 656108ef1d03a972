/**
 * Evaluates an expression tree against the replay's state. Values are whole numbers (bigint),
 * strings, booleans, null, lists and records (plain objects: a subblock, a memory block, a
 * device, a finding, the event). Functions come from the caller's scope: the evaluator knows
 * nothing of the model.
 */
import { ExprError, type Node, parseExpression } from './parse';

export type Value = bigint | string | boolean | null | Value[] | Rec;
export interface Rec {
  [field: string]: Value;
}

export interface EvalScope {
  /** Functions by name (`sb`, `mb`, `device`, `findings`). */
  functions: Record<string, (...args: Value[]) => Value>;
  /** Names that stand for a value (`event`, `position`). */
  names: Record<string, () => Value>;
}

export function isRecord(v: Value): v is Rec {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function truthy(v: Value): boolean {
  if (v === null || v === false || v === 0n || v === '') return false;
  return true;
}

function typeName(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'record';
  return typeof v === 'bigint' ? 'number' : typeof v;
}

/** Numbers, strings, booleans and null by value; records and lists only as themselves. */
function equal(a: Value, b: Value): boolean {
  return a === b;
}

function order(op: '<' | '<=' | '>' | '>=', a: Value, b: Value): boolean {
  if (!((typeof a === 'bigint' && typeof b === 'bigint') || (typeof a === 'string' && typeof b === 'string'))) {
    throw new ExprError(`cannot compare ${typeName(a)} ${op} ${typeName(b)}`);
  }
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Only the scope's own entries: `constructor` or `toString` must not reach Object's. */
function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

function evalNode(node: Node, scope: EvalScope): Value {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'name': {
      const read = own(scope.names, node.name);
      if (!read) {
        const hint = own(scope.functions, node.name) ? ` (a function: ${node.name}(…))` : '';
        throw new ExprError(`unknown name '${node.name}'${hint}`);
      }
      return read();
    }
    case 'member': {
      const object = evalNode(node.object, scope);
      if ((typeof object === 'string' || Array.isArray(object)) && node.name === 'length') return BigInt(object.length);
      if (!isRecord(object)) throw new ExprError(`${typeName(object)} has no field '${node.name}'`);
      if (!Object.prototype.hasOwnProperty.call(object, node.name)) {
        throw new ExprError(`no field '${node.name}' (fields: ${Object.keys(object).join(', ')})`);
      }
      return object[node.name];
    }
    case 'index': {
      const object = evalNode(node.object, scope);
      const index = evalNode(node.index, scope);
      if (!Array.isArray(object) || typeof index !== 'bigint') throw new ExprError(`cannot index a ${typeName(object)} with a ${typeName(index)}`);
      return object[Number(index)] ?? null;
    }
    case 'call': {
      const fn = own(scope.functions, node.callee);
      if (!fn) throw new ExprError(`unknown function '${node.callee}' (known: ${Object.keys(scope.functions).join(', ')})`);
      return fn(...node.args.map((a) => evalNode(a, scope)));
    }
    case 'unary': {
      const v = evalNode(node.operand, scope);
      if (node.op === '!') return !truthy(v);
      if (typeof v !== 'bigint') throw new ExprError(`cannot negate a ${typeName(v)}`);
      return -v;
    }
    case 'binary': {
      if (node.op === '&&') return truthy(evalNode(node.left, scope)) && truthy(evalNode(node.right, scope));
      if (node.op === '||') return truthy(evalNode(node.left, scope)) || truthy(evalNode(node.right, scope));
      const a = evalNode(node.left, scope);
      const b = evalNode(node.right, scope);
      if (node.op === '==') return equal(a, b);
      if (node.op === '!=') return !equal(a, b);
      return order(node.op, a, b);
    }
  }
}

/** A parsed expression, evaluated as often as needed (a condition at every event). */
export class Expression {
  private readonly tree: Node;

  constructor(readonly text: string) {
    this.tree = parseExpression(text);
  }

  evaluate(scope: EvalScope): Value {
    return evalNode(this.tree, scope);
  }

  /** As a condition: true or false; an error (no such subblock yet) counts as false. */
  holds(scope: EvalScope): boolean {
    try {
      return truthy(this.evaluate(scope));
    } catch (error) {
      if (error instanceof ExprError) return false;
      throw error;
    }
  }
}

/** A value in a few characters: numbers of 64 KiB and up in hex (addresses, sizes), strings quoted. */
export function showValue(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v >= 0x10000n ? `0x${v.toString(16)}` : v.toString();
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.length}]`;
  const summary = v.summary;
  return typeof summary === 'string' ? summary : `{${Object.keys(v).join(', ')}}`;
}

export { ExprError };
