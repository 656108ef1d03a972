// Loaded by VS Code as a tests module (extensionTestsPath): activates Hotplug Lens in a fresh
// extension host and prints how long that took, beside a baseline measured in the same host:
// a round trip of a built-in command.
const { performance } = require('node:perf_hooks');

exports.run = async function run() {
  const vscode = require('vscode');
  const ext = vscode.extensions.getExtension('hotplug-lens.hotplug-lens');
  if (!ext) throw new Error('Hotplug Lens is not installed in this window');
  const wasActive = ext.isActive;
  const t0 = performance.now();
  const api = await ext.activate();
  const activateMs = performance.now() - t0;
  const b0 = performance.now();
  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  const baselineMs = performance.now() - b0;
  console.log(`[[activation]]${JSON.stringify({ wasActive, activateMs, ownMs: api.activationMs, baselineMs })}`);
};
