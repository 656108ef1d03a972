/**
 * The replay's expression language (docs/replay.md): what conditional breakpoints, Watch,
 * hovers and the Debug Console evaluate. A small recursive-descent parser into a tree; nothing
 * is ever handed to `eval` or `Function`.
 *
 *   expr    := or
 *   or      := and ('||' and)*
 *   and     := compare ('&&' compare)*
 *   compare := unary (('==' | '!=' | '<' | '<=' | '>' | '>=') unary)?
 *   unary   := ('!' | '-') unary | postfix
 *   postfix := primary ('.' NAME | '[' expr ']' | '(' args ')')*
 *   primary := NUMBER | STRING | 'true' | 'false' | 'null' | NAME | '(' expr ')'
 */

export type Node =
  | { type: 'literal'; value: bigint | string | boolean | null }
  | { type: 'name'; name: string }
  | { type: 'member'; object: Node; name: string }
  | { type: 'index'; object: Node; index: Node }
  | { type: 'call'; callee: string; args: Node[] }
  | { type: 'unary'; op: '!' | '-'; operand: Node }
  | { type: 'binary'; op: BinaryOp; left: Node; right: Node };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A mistake in an expression, with the column (0-based) where it was noticed. */
export class ExprError extends Error {
  constructor(
    message: string,
    readonly column?: number,
  ) {
    super(column !== undefined ? `${message} (at column ${column + 1})` : message);
  }
}

type Token = { kind: 'number'; value: bigint; at: number } | { kind: 'string'; value: string; at: number } | { kind: 'name'; value: string; at: number } | { kind: 'op'; value: string; at: number } | { kind: 'end'; at: number };

const OPS = ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '!', '-', '.', '(', ')', '[', ']', ','];
const MAX_LENGTH = 2000;

function tokenize(text: string): Token[] {
  if (text.length > MAX_LENGTH) throw new ExprError(`expression longer than ${MAX_LENGTH} characters`);
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const number = /^(?:0x[0-9a-f_]+|\d[\d_]*)(?![\w.])/i.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: BigInt(number[0].replace(/_/g, '')), at: i });
      i += number[0].length;
      continue;
    }
    if (/\d/.test(c)) throw new ExprError('only whole numbers (decimal or 0x hex) are known', i);
    const name = /^[A-Za-z_][\w]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], at: i });
      i += name[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new ExprError('unterminated string', i);
      tokens.push({ kind: 'string', value: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected '${c}'`, i);
    tokens.push({ kind: 'op', value: op, at: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

export function parseExpression(text: string): Node {
  const tokens = tokenize(text);
  let k = 0;
  const peek = (): Token => tokens[k];
  const isOp = (value: string): boolean => {
    const t = peek();
    return t.kind === 'op' && t.value === value;
  };
  const expect = (value: string): void => {
    if (!isOp(value)) throw new ExprError(`expected '${value}'`, peek().at);
    k += 1;
  };

  const binary = (next: () => Node, ops: readonly BinaryOp[], once = false): (() => Node) => () => {
    let left = next();
    while (ops.some(isOp)) {
      const op = (tokens[k++] as { value: BinaryOp }).value;
      left = { type: 'binary', op, left, right: next() };
      if (once) break;
    }
    return left;
  };

  const primary = (): Node => {
    const t = tokens[k++];
    switch (t.kind) {
      case 'number':
      case 'string':
        return { type: 'literal', value: t.value };
      case 'name':
        if (t.value === 'true' || t.value === 'false') return { type: 'literal', value: t.value === 'true' };
        if (t.value === 'null') return { type: 'literal', value: null };
        if (isOp('(')) {
          k += 1;
          const args: Node[] = [];
          if (!isOp(')')) {
            args.push(expression());
            while (isOp(',')) {
              k += 1;
              args.push(expression());
            }
          }
          expect(')');
          return { type: 'call', callee: t.value, args };
        }
        return { type: 'name', name: t.value };
      case 'op':
        if (t.value === '(') {
          const inner = expression();
          expect(')');
          return inner;
        }
        throw new ExprError(`unexpected '${t.value}'`, t.at);
      case 'end':
        throw new ExprError('the expression ends too soon', t.at);
    }
  };

  const postfix = (): Node => {
    let node = primary();
    for (;;) {
      if (isOp('.')) {
        k += 1;
        const t = tokens[k++];
        if (t.kind !== 'name') throw new ExprError('expected a field name after .', t.at);
        node = { type: 'member', object: node, name: t.value };
      } else if (isOp('[')) {
        k += 1;
        const index = expression();
        expect(']');
        node = { type: 'index', object: node, index };
      } else {
        return node;
      }
    }
  };

  const unary = (): Node => {
    if (isOp('!') || isOp('-')) {
      const op = (tokens[k++] as { value: '!' | '-' }).value;
      return { type: 'unary', op, operand: unary() };
    }
    return postfix();
  };

  const compare = binary(unary, ['==', '!=', '<=', '>=', '<', '>'], true);
  const and = binary(compare, ['&&']);
  const expression: () => Node = binary(and, ['||']);

  const tree = expression();
  const rest = peek();
  if (rest.kind !== 'end') throw new ExprError('unexpected text after the expression', rest.at);
  return tree;
}
