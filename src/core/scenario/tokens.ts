/** Scenario text → tokens: words, `;`, `{`, `}` and line ends, each with its 1-based line. Comments (`#` to the end of the line) are dropped. */

export interface Token {
  /** A word, or one of `;` `{` `}` `\n`. */
  text: string;
  line: number;
}

const TOKEN = /[;{}]|[^\s;{}#]+/g;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    const code = hash < 0 ? lines[i] : lines[i].slice(0, hash);
    for (const m of code.matchAll(TOKEN)) tokens.push({ text: m[0], line: i + 1 });
    tokens.push({ text: '\n', line: i + 1 });
  }
  return tokens;
}

export function isSeparator(token: Token): boolean {
  return token.text === ';' || token.text === '\n';
}
