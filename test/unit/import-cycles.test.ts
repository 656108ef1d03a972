/**
 * No module imports itself through others, in the extension, the CLI, the engine or the page:
 * a cycle hides which part depends on which, and at run time can hand a module another's
 * half-initialised exports. Type-only imports count too (the layering is the point). dpdm
 * walks the imports with TypeScript's own resolution.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCircular, parseDependencyTree } from 'dpdm';

const ROOT = join(__dirname, '..', '..', '..');

/** Every import cycle among the files `globs` match under `root`. */
async function importCycles(root: string, globs: string[]): Promise<{ files: number; cycles: string[] }> {
  const tree = await parseDependencyTree(globs, { cwd: root, context: root, transform: false, skipDynamicImports: false, onProgress: () => {} });
  const files = Object.keys(tree).filter((id) => !id.includes('node_modules')).length;
  return { files, cycles: parseCircular(tree).map(cycleText).sort() };
}

/** `a → b → a`, from its first file in name order, so that the same cycle reads the same whichever way the walk met it. */
function cycleText(cycle: string[]): string {
  const first = cycle.indexOf([...cycle].sort()[0]);
  const turned = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...turned, turned[0]].join(' → ');
}

describe('import cycles', () => {
  it('there is none in src/ and webview/', async () => {
    const { files, cycles } = await importCycles(ROOT, ['src/**/*.ts', 'webview/**/*.ts']);
    // A walk that found nothing would find no cycle either.
    assert.ok(files > 150, `only ${files} files walked`);
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n')}`);
  });

  it('would name one made only of a type import back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpl-cycles-'));
    try {
      writeFileSync(join(dir, 'driver.ts'), "import { STOPPED } from './layout';\nexport class Driver { rc = STOPPED; }\n");
      writeFileSync(join(dir, 'layout.ts'), "import type { Driver } from './driver';\nexport const STOPPED = 1;\nexport type Of = Driver;\n");
      writeFileSync(join(dir, 'leaf.ts'), "import { STOPPED } from './layout';\nexport const x = STOPPED;\n");
      const { files, cycles } = await importCycles(dir, ['*.ts']);
      assert.equal(files, 3);
      assert.deepEqual(cycles, ['driver.ts → layout.ts → driver.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
