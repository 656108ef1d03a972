/**
 * The few parts of the `vscode` module that pure formatting code of the extension touches,
 * hooked into `require('vscode')` for unit tests. Only for checks where a real VS Code adds
 * nothing; everything else runs in test/integration.
 */
import Module = require('node:module');

export class MarkdownString {
  value = '';
  isTrusted = false;
  supportHtml = false;
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}

const fake = { MarkdownString };
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const original = loader._load;
loader._load = function load(request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fake : original.call(this, request, ...rest);
};
