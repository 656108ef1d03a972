/** `npm run package`'s vsce step as a process: a small .vsix with the bundles and nothing of the sources. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../helpers/cli';

const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
const FLAGS = ['--no-dependencies'];
const PACKAGE_FLAGS = [...FLAGS, '--allow-missing-repository', '--no-rewrite-relative-links'];

function vsce(args: string[]): string {
  const run = spawnSync(process.execPath, [VSCE, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `vsce ${args[0]} failed: ${run.stderr}`);
  return run.stdout;
}

function build(...args: string[]): void {
  const run = spawnSync(process.execPath, ['esbuild.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `esbuild.js ${args.join(' ')} failed: ${run.stderr}`);
}

describe('packaging', function () {
  this.timeout(120_000);
  before(ensureBuilt);

  it('lists exactly the files the extension needs at run time', () => {
    const files = vsce(['ls', ...FLAGS]).split('\n').filter(Boolean);
    for (const needed of ['package.json', 'dist/extension.js', 'dist/worker.js', 'dist/replay-session.js', 'dist/ingest-worker.js', 'dist/simulate-worker.js', 'syntaxes/hotplug-kernel-log.tmLanguage.json', 'docs/findings.md', 'examples/tdx-replug-failure/guest.log', 'media/walkthrough/open.md', 'schemas/hotplug-lens.schema.json', 'media/build/timeline.js', 'media/build/report.js', 'media/timeline.css']) {
      assert.ok(files.includes(needed), `${needed} is packaged`);
    }
    const leaked = files.filter((f) => /^(src|test|node_modules|bench|scripts|out|\.e2e)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts'));
    assert.deepEqual(leaked, [], 'no sources, tests, source maps or node_modules');
  });

  it('builds a .vsix under 1 MB', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpl-vsix-'));
    try {
      // What `npm run package` ships: the minified bundles. The development build is put back
      // afterwards (the other tests want its source maps).
      build('--production');
      const out = join(dir, 'hotplug-lens.vsix');
      vsce(['package', ...PACKAGE_FLAGS, '--out', out]);
      assert.ok(statSync(out).size < 1024 * 1024, `${statSync(out).size} bytes`);
    } finally {
      build();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
