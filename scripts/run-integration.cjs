// The integration tests' entry point: one runTests() of @vscode/test-electron, two runtimes.
//   desktop      runTests downloads desktop VS Code (the usual way, where there is internet)
//   code-server  runTests starts scripts/code-shim.sh as "VS Code": the same tests run in
//                code-server's extension host (sets up .e2e/ first if needed)
// VSCODE_TEST_RUNTIME=desktop | code-server | auto (default: desktop when the update server answers).
// Each run in RUNS below is one window: the trusted workspace, then the same folder untrusted.
// Variables named EXT_TEST_* reach the tests.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const https = require('https');
const path = require('path');
const { runTests } = require('@vscode/test-electron');

const ROOT = path.resolve(__dirname, '..');
const SHIM = path.join(ROOT, 'scripts', 'code-shim.sh');
const E2E_DIR = path.resolve(process.env.E2E_DIR || path.join(ROOT, '.e2e'));
// The bundled examples are the workspace: the tests open what a new user opens.
const WORKSPACE = path.join(ROOT, 'examples');

// The first window is photographed when its tests end: into out/, or into media/ (committed, shown
// in the README) with UPDATE_SCREENSHOT=1.
const SHOT = process.env.UPDATE_SCREENSHOT ? path.join(ROOT, 'media', 'workbench.png') : path.join(ROOT, 'out', 'screenshots', 'workbench.png');

const RUNS = [
  { name: 'workspace', tests: 'out/test/integration/index.js', env: { E2E_SCREENSHOT: SHOT } },
  // Restricted Mode: the extension only reads files, so it analyses there as well.
  { name: 'untrusted workspace', tests: 'out/test/integration/untrusted/index.js', env: { CS_WORKSPACE_TRUST: '1' }, codeServerOnly: true },
];

function reachable(url, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const req = https.request(url, { method: 'HEAD', timeout: timeoutMs }, (res) => { res.resume(); resolve(res.statusCode < 500); });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function main() {
  const wanted = process.env.VSCODE_TEST_RUNTIME || 'auto';
  if (!['auto', 'desktop', 'code-server'].includes(wanted)) throw new Error(`VSCODE_TEST_RUNTIME=${wanted}: expected desktop, code-server or auto`);
  const runtime = wanted !== 'auto' ? wanted : (await reachable('https://update.code.visualstudio.com/api/releases/stable')) ? 'desktop' : 'code-server';
  if (runtime === 'code-server' && !fs.existsSync(path.join(E2E_DIR, 'cs', 'node_modules', '.bin', 'code-server'))) {
    if (process.env.E2E_NO_AUTO_SETUP) throw new Error(`code-server is not installed in ${E2E_DIR}: run scripts/e2e-setup.sh`);
    console.log(`[integration] setting up ${E2E_DIR} (about 2 minutes, once)`);
    const setup = spawnSync('bash', [path.join(ROOT, 'scripts', 'e2e-setup.sh')], { stdio: 'inherit', cwd: ROOT, env: { ...process.env, E2E_DIR } });
    if (setup.status !== 0) throw new Error('scripts/e2e-setup.sh failed');
  }
  const testEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('EXT_TEST_')));
  for (const run of RUNS) {
    if (run.codeServerOnly && runtime !== 'code-server') continue;
    fs.mkdirSync(path.dirname(SHOT), { recursive: true });
    console.log(`[integration] ${run.name} (${runtime})`);
    const options = {
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, run.tests),
      launchArgs: [WORKSPACE, '--disable-extensions'],
      extensionTestsEnv: testEnv,
    };
    if (runtime === 'code-server') {
      options.vscodeExecutablePath = SHIM;
      // The shim and code-server.sh read these from their own environment.
      Object.assign(process.env, { E2E_DIR, ...run.env });
      options.extensionTestsEnv = { ...testEnv, FORWARD_ENV: Object.keys(testEnv).join(',') };
    } else {
      options.version = process.env.VSCODE_VERSION || 'stable';
    }
    try {
      await runTests(options);
    } finally {
      for (const name of Object.keys(run.env)) delete process.env[name];
    }
  }
}

main().then(() => process.exit(0), (err) => {
  console.error('[integration] failed:', err && err.message ? err.message : err);
  process.exit(err && Number.isInteger(err.code) && err.code > 0 ? err.code : 1);
});
