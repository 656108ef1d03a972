/** package.json's contributions hang together: files exist, and every command is declared and registered. */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../../helpers/cli';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const declared = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));
// Commands are registered in main.ts and in the modules it wires (replay.ts registers its own).
const extensionDir = join(ROOT, 'src', 'extension');
const source = readdirSync(extensionDir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(extensionDir, f), 'utf8'))
  .join('\n');
const registered = new Set([...source.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]));

describe('the extension manifest', () => {
  before(ensureBuilt);

  it('registers every command it declares, and declares every command it registers', () => {
    assert.deepEqual([...declared].sort(), [...registered].sort());
  });

  it('uses only declared commands in menus, keybindings, the welcome view and the walkthrough', () => {
    const menuCommands = Object.values(contributes.menus as Record<string, Array<{ command: string }>>).flat().map((m) => m.command);
    const keyCommands = contributes.keybindings.map((k: { command: string }) => k.command);
    const linked = [...JSON.stringify([contributes.viewsWelcome, contributes.walkthroughs]).matchAll(/command:([\w.]+)/g)].map((m) => m[1]);
    const builtIn = new Set(['workbench.actions.view.problems']);
    for (const command of [...menuCommands, ...keyCommands, ...linked]) {
      assert.ok(declared.has(command) || builtIn.has(command), `${command} is declared`);
    }
  });

  it('points at files that exist', () => {
    const files = [
      manifest.main,
      ...contributes.grammars.map((g: { path: string }) => g.path),
      ...contributes.jsonValidation.map((j: { url: string }) => j.url),
      ...contributes.walkthroughs.flatMap((w: { steps: Array<{ media: { markdown: string } }> }) => w.steps.map((s) => s.media.markdown)),
      ...contributes.views.explorer.map((v: { icon: string }) => v.icon),
    ];
    for (const file of files) assert.ok(existsSync(join(ROOT, file)), `${file} exists`);
  });

  it('activates only on the log languages or its own panels and sessions: nothing at start-up', () => {
    // A timeline restored after a reload, or a replay session started, also wakes it; nothing else does.
    const own = /^(onLanguage:|onWebviewPanel:hotplugLens\.|onDebug\w*:hotplug-)/;
    assert.deepEqual(manifest.activationEvents.filter((e: string) => !own.test(e)), []);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  });
});
