/**
 * No module imports itself through others, in the extension, the CLI, the engine or the page:
 * a cycle hides which part depends on which, and at run time can hand a module another's
 * half-initialised exports. Type-only imports count too (the layering is the point). dpdm
 * walks the imports with TypeScript's own resolution.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { parseCircular, parseDependencyTree } from 'dpdm';

const ROOT = join(__dirname, '..', '..', '..');

describe('import cycles', () => {
  it('there is none in src/ and webview/', async () => {
    const tree = await parseDependencyTree(['src/**/*.ts', 'webview/**/*.ts'], {
      cwd: ROOT,
      context: ROOT,
      transform: false,
      skipDynamicImports: false,
      onProgress: () => {},
    });
    const files = Object.keys(tree).filter((id) => /^(src|webview)\//.test(id));
    // A walk that found nothing would find no cycle either.
    assert.ok(files.length > 150, `only ${files.length} files walked`);
    const cycles = parseCircular(tree).map((cycle) => [...cycle, cycle[0]].join(' → '));
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n')}`);
  });
});
