/** `--policy NAME=VALUE` / `--what-if NAME=VALUE` as parsePolicy reads them, and the policies' defaults. */
import { strict as assert } from 'node:assert';
import { DEFAULT_POLICIES, parsePolicy, POLICY_DOCS, policiesText, removesPrivatePage } from '../../../src/core/model/policy';

describe('parsePolicy', () => {
  it('reads every documented value of every policy', () => {
    for (const doc of POLICY_DOCS) {
      for (const value of doc.values) assert.deepEqual(parsePolicy(`${doc.name}=${value}`), { name: doc.name, value });
    }
  });

  it('takes surrounding blanks', () => {
    assert.deepEqual(parsePolicy('  vmm.discardPrivate=yes \t'), { name: 'vmm.discardPrivate', value: 'yes' });
  });

  it('says what is wrong, in one line, with what it was given', () => {
    const cases: Array<[string, string]> = [
      ['vmm.discardPrivate', "'vmm.discardPrivate' is not NAME=VALUE"],
      ['vmm.discardPrivate=', "'vmm.discardPrivate=' is not NAME=VALUE"],
      ['=yes', "'=yes' is not NAME=VALUE"],
      ['vmm.discardPrivate = yes', "'vmm.discardPrivate = yes' is not NAME=VALUE"],
      ['vmm.discardPrivate=yes=no', "'vmm.discardPrivate=yes=no' is not NAME=VALUE"],
      ['x vmm.discardPrivate=yes', "'x vmm.discardPrivate=yes' is not NAME=VALUE"],
      ['vmm.discardPrivate=yes!', "'vmm.discardPrivate=yes!' is not NAME=VALUE"],
      ['', "'' is not NAME=VALUE"],
      ['vmm.discard=yes', "unknown policy 'vmm.discard' (see 'hotplug-lens policies')"],
      ['VMM.DISCARDPRIVATE=yes', "unknown policy 'VMM.DISCARDPRIVATE' (see 'hotplug-lens policies')"],
      ['vmm.discardPrivate=maybe', "policy vmm.discardPrivate takes yes, no, unknown, not 'maybe'"],
      ['vmm.discardPrivate=YES', "policy vmm.discardPrivate takes yes, no, unknown, not 'YES'"],
      ['guest.acceptGranularity=yes', "policy guest.acceptGranularity takes block, subblock, unknown, not 'yes'"],
    ];
    for (const [text, error] of cases) assert.deepEqual(parsePolicy(text), { error }, text);
  });

  it('documents each policy once, and every one defaults to unknown (infer it)', () => {
    assert.deepEqual(
      POLICY_DOCS.map((d) => d.name),
      ['vmm.discardPrivate', 'guest.convertSharedOnUnplug', 'guest.releaseOnUnplug', 'device.unpluggedInaccessible', 'guest.acceptGranularity', 'guest.acceptsMemory'],
    );
    assert.deepEqual(Object.keys(DEFAULT_POLICIES), POLICY_DOCS.map((d) => d.name));
    assert.ok(Object.values(DEFAULT_POLICIES).every((v) => v === 'unknown'));
    for (const d of POLICY_DOCS) {
      assert.equal(d.values[d.values.length - 1], 'unknown', d.name);
      assert.ok(d.meaning.length > 40, d.name);
    }
    assert.deepEqual(POLICY_DOCS.find((d) => d.name === 'guest.acceptGranularity')?.values, ['block', 'subblock', 'unknown']);
  });
});

describe('removesPrivatePage: the policies under which a re-plug finds memory unaccepted', () => {
  it('a VMM discard, a guest RELEASE, or a conversion to shared the RFC does not skip', () => {
    assert.equal(removesPrivatePage({ 'vmm.discardPrivate': 'yes' }), true);
    assert.equal(removesPrivatePage({ 'guest.releaseOnUnplug': 'yes' }), true);
    assert.equal(removesPrivatePage({ 'guest.convertSharedOnUnplug': 'yes' }), true);
    assert.equal(removesPrivatePage({ 'guest.convertSharedOnUnplug': 'yes', 'device.unpluggedInaccessible': 'no' }), true);
  });

  it('not a conversion skipped for UNPLUGGED_INACCESSIBLE, nor any other policy', () => {
    assert.equal(removesPrivatePage({ 'guest.convertSharedOnUnplug': 'yes', 'device.unpluggedInaccessible': 'yes' }), false);
    assert.equal(removesPrivatePage({ 'guest.acceptGranularity': 'subblock', 'guest.acceptsMemory': 'yes', 'vmm.discardPrivate': 'no' }), false);
    assert.equal(removesPrivatePage(DEFAULT_POLICIES), false);
  });

  it('policiesText writes them as --what-if takes them', () => {
    assert.equal(policiesText({ 'guest.convertSharedOnUnplug': 'yes', 'device.unpluggedInaccessible': 'no' }), 'guest.convertSharedOnUnplug=yes, device.unpluggedInaccessible=no');
    assert.equal(policiesText({}), '');
  });
});
