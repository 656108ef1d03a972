/**
 * What package.json declares for the replay debugger agrees with the adapter: the launch
 * attributes are the ones it reads, the policies and their values are the engine's, the initial
 * configuration is one it accepts, breakpoints are allowed in both log languages.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_DOCS } from '../../../src/core/model/policy';
import { checkArgs } from '../../../src/debug/args';
import { ROOT } from '../../helpers/cli';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const LANGUAGES = ['hotplug-kernel-log', 'hotplug-qemu-log'];

describe('the replay debugger in the manifest', () => {
  const debuggers = manifest.contributes.debuggers as Array<Record<string, any>>;
  const replay = debuggers.find((d) => d.type === 'hotplug-replay');

  it('declares hotplug-replay for both log languages, with breakpoints allowed in them', () => {
    assert.ok(replay);
    assert.deepEqual(replay.languages, LANGUAGES);
    assert.deepEqual(manifest.contributes.breakpoints.map((b: { language: string }) => b.language), LANGUAGES);
    assert.ok(manifest.activationEvents.includes('onDebugResolve:hotplug-replay'));
  });

  it('declares the launch attributes the adapter reads, and the engine\'s policies', () => {
    const props = replay?.configurationAttributes.launch.properties;
    assert.deepEqual(Object.keys(props).sort(), ['cwd', 'logs', 'policies', 'scenario', 'stopOnEntry', 'stopOnFinding']);
    const policies = props.policies.properties as Record<string, { enum: string[] }>;
    assert.deepEqual(
      Object.entries(policies).map(([name, p]) => [name, p.enum]),
      POLICY_DOCS.map((d) => [d.name, [...d.values]]),
    );
  });

  it('offers configurations the adapter accepts', () => {
    for (const config of [...replay?.initialConfigurations, ...replay?.configurationSnippets.map((s: { body: unknown }) => s.body)]) {
      const checked = checkArgs(config);
      assert.ok(!('error' in checked), JSON.stringify(checked));
    }
  });

  it('refuses launch arguments of the wrong shape with one sentence', () => {
    assert.match((checkArgs({ logs: 'guest.log' as never }) as { error: string }).error, /"logs" must be a list/);
    assert.match((checkArgs({ logs: ['a'], stopOnFinding: 'HPL001' as never }) as { error: string }).error, /"stopOnFinding" must be a list/);
    assert.match((checkArgs({ logs: ['a'], policies: { 'vmm.discardPrivate': 'maybe' } }) as { error: string }).error, /takes yes, no, unknown/);
    assert.deepEqual(checkArgs({ logs: ['a'], policies: { 'vmm.discardPrivate': 'yes' }, stopOnEntry: true }), {
      logs: ['a'],
      policies: { 'vmm.discardPrivate': 'yes' },
      stopOnEntry: true,
      stopOnFinding: [],
    });
  });
});
