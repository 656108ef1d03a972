// One build script for every bundle: node esbuild.js [--watch] [--production]
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions[]} */
const bundles = [
  // The VS Code extension host side; `vscode` is provided by the host.
  { entryPoints: { extension: 'src/extension/main.ts' }, platform: 'node', format: 'cjs', external: ['vscode'] },
  // The analysis worker thread started by the extension (and usable on its own).
  { entryPoints: { worker: 'src/worker/main.ts' }, platform: 'node', format: 'cjs' },
  // The thread that reads a big log while the CLI or the analysis worker diagnoses it; found
  // beside the bundle that starts it.
  { entryPoints: { 'ingest-worker': 'src/node/ingest-worker.ts' }, platform: 'node', format: 'cjs' },
  // The thread that simulates a replay launch's scenario, so that the extension host stays
  // responsive and can stop it; found beside the replay session's bundle.
  { entryPoints: { 'simulate-worker': 'src/node/simulate-worker.ts' }, platform: 'node', format: 'cjs' },
  // The command line.
  { entryPoints: { cli: 'src/cli/main.ts' }, platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  // The replay debug adapter on stdio (VS Code runs the same session in the extension host).
  { entryPoints: { 'debug-adapter': 'src/debug/main.ts' }, platform: 'node', format: 'cjs' },
  // The same session for the extension's inline adapter, loaded at the first replay (not at activation).
  { entryPoints: { 'replay-session': 'src/debug/session.ts' }, platform: 'node', format: 'cjs' },
  // The timeline page: in a VS Code webview, and in a standalone report. Into media/, the one
  // folder a webview may load from.
  {
    entryPoints: { timeline: 'webview/timeline/vscode-main.ts', report: 'webview/timeline/report-main.ts' },
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    outdir: 'media/build',
  },
];

const { version } = require('./package.json');

const common = {
  define: { HOTPLUG_LENS_VERSION: JSON.stringify(version) },
  bundle: true,
  outdir: 'dist',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

async function main() {
  const contexts = await Promise.all(bundles.map((b) => esbuild.context({ ...common, ...b })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('esbuild: watching for changes');
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
