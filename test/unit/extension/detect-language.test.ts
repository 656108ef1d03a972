import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectLanguage, languageRules } from '../../../src/extension/detect-language';

const ROOT = join(__dirname, '..', '..', '..', '..');
const rules = languageRules(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));
const firstLines = (file: string) => readFileSync(join(ROOT, file), 'utf8').split(/\r?\n/).slice(0, 20);

describe('language detection from the first lines', () => {
  it('takes its rules from the manifest', () => {
    assert.deepEqual(
      rules.map((r) => r.id),
      ['hotplug-kernel-log', 'hotplug-qemu-log'],
    );
  });

  it('recognises guest and host dmesg as kernel logs', () => {
    assert.equal(detectLanguage(firstLines('examples/tdx-replug-failure/guest.log'), rules), 'hotplug-kernel-log');
    assert.equal(detectLanguage(firstLines('test/fixtures/scenarios/F16-host-seamcall-remove/host.log'), rules), 'hotplug-kernel-log');
  });

  it('recognises QEMU traces, with or without timestamps', () => {
    assert.equal(detectLanguage(firstLines('examples/tdx-replug-failure/qemu.log'), rules), 'hotplug-qemu-log');
    assert.equal(detectLanguage(firstLines('test/fixtures/scenarios/F04-coco-rfc-stale-private/qemu.log'), rules), 'hotplug-qemu-log');
  });

  it('looks past other programs\' syslog lines at the top', () => {
    assert.equal(detectLanguage(firstLines('test/fixtures/scenarios/F06-admin-offline-online/guest.log'), rules), 'hotplug-kernel-log');
  });

  it('leaves other text alone', () => {
    assert.equal(detectLanguage(['Hello,', 'this is a mail about lunch.', '', '-- ', 'Alice'], rules), undefined);
    assert.equal(detectLanguage([], rules), undefined);
  });
});
