// Mutation testing of the diagnosis core (`npm run test:mutation`; README, "Mutation testing").
//
// Versions: StrykerJS 9.6.x, pinned below 10 in package.json, because Stryker 10 refuses to
// start on Node 20 (it requires Node 22), and this project supports Node >= 20.19. Stryker 9's
// mocha runner loads mocha's CommonJS internals by their `.js` names, which mocha 12 renamed to
// `.cjs`: hence mocha 11 (the newest mocha that runner loads), for the unit tests as well.
//
// Stryker copies the checkout into a sandbox, mutates the TypeScript there, and compiles it
// once (`buildCommand`); every mutant is then switched on at run time in the compiled out/.
// Only unit tests run: they import the core in-process, where a mutant can be switched on (the
// CLI tests and the worker test run code in another process, which never sees one).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // history.ts is left out: its tests replay whole runs, minutes a mutant here. Measure it
  // alone: MUTATION_SPEC=out/test/unit/model/history.test.js npx stryker run --mutate src/core/model/history.ts
  mutate: ['src/core/model/**/*.ts', '!src/core/model/history.ts', 'src/core/diagnose/**/*.ts', 'src/core/sources/**/*.ts', 'src/core/tdx/**/*.ts'],
  // Run without a shell: one command, no `&&`.
  buildCommand: 'tsc -p .',
  // out/ is compiled in the sandbox, never copied into it: a copied out/ file would stand in for
  // the mutated build. dist/ is copied (`npm run test:mutation` builds it first): the tests that
  // run the CLI as a process need it, and a child process never sees a mutant anyway.
  ignorePatterns: ['/out', '/.e2e', '/bench/data'],
  testRunner: 'mocha',
  mochaOptions: {
    // The tests written for these folders. The property, replay, timeline and scenario tests
    // run the same code hundreds of times over: with them every mutant of the analyzer takes
    // minutes and a run hours (Stryker's estimate here: 4.5 h on two shared cores). MUTATION_SPEC
    // (comma-separated globs) replaces the list, e.g. 'out/test/unit/**/*.test.js' for all.
    spec: process.env.MUTATION_SPEC
      ? process.env.MUTATION_SPEC.split(',')
      : [
          'model/transitions',
          'model/plugged-size',
          'model/device',
          'model/policy',
          'diagnose/reports',
          'diagnose/findings',
          'diagnose/handlers',
          'diagnose/snp-host',
          'diagnose/resize-and-setup',
          'diagnose/convert-before-unplug',
          'diagnose/qemu-crash',
          'diagnose/snp-host-facts',
          'diagnose/resize-stalls',
          'diagnose/device-setup',
          'diagnose/conversions',

          'diagnose/platform-words',
          'diagnose/findings-geometry',
          'diagnose/requests',
          'diagnose/ledger',
          'diagnose/completeness',
          'diagnose/event-handlers',
          'diagnose/platform-evidence',
          'diagnose/lookup',
          'diagnose/explain-page-text',
          'diagnose/finding-order',
          'run-state',
          'tdx/status',
          'docs',
          'diagnose/explain-page',
          'diagnose/remedies',
          'extension/hover',
          'sources/sources',
          'sources/host-tdx',
          'sources/snp-host',
          'fixtures',
          'ingest/keyword-scanner',
        ].map((name) => `out/test/unit/${name}.test.js`),
    // With all tests: leave out those that run nothing mutated in-process (worker, FIFO inputs)
    // and the one that times itself (slowed down by the instrumentation, it fails).
    ignore: ['out/test/unit/node/ingest-worker.test.js', 'out/test/unit/node/inputs.test.js', 'out/test/unit/extension/grammar.test.js'],
  },
  coverageAnalysis: 'perTest',
  // A static mutant (one in a module-level table: the transition rows, the catalog, the source
  // patterns) is tested by every test that loads its module, about 25 s a mutant here: all of
  // them take hours. MUTATION_STATIC=1 includes them; narrow MUTATION_SPEC to the tests of
  // that table (README, "Mutation testing").
  ignoreStatic: process.env.MUTATION_STATIC !== '1',
  // The machine running this is usually shared: two test processes at a time.
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
