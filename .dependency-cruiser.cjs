/**
 * The architecture as rules, checked by `npm run lint:layers` in CI. Floors, bottom to top:
 *
 *   src/ (the runtime library)  ←  sim/, research/  ←  controllers/, hardware/  ←  app/ (composition root)  ←  bin/, bench/, test/
 *
 * A folder may import only from floors below it (and itself); the library imports no plugin, and
 * only app/ knows every plugin. No import cycles anywhere.
 */
const floor = (name, mayNotImport, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `^${name.split(':')[0]}/` },
  to: { path: `^(${mayNotImport.join('|')})/` },
});

module.exports = {
  forbidden: [
    floor(
      'src:library',
      ['sim', 'research', 'controllers', 'hardware', 'app', 'bench', 'test', 'bin'],
      'The runtime library is the ground floor: plugins are passed in by app/, never imported.',
    ),
    floor(
      'sim:plugins',
      ['research', 'controllers', 'hardware', 'app', 'bench', 'test', 'bin'],
      'Simulators and training environments build on the library only.',
    ),
    floor(
      'research:code',
      ['controllers', 'hardware', 'app', 'bench', 'test', 'bin'],
      'Research code (the CLF trainer) builds on the library and simulators only.',
    ),
    floor(
      'controllers:plugins',
      ['hardware', 'app', 'bench', 'test', 'bin'],
      'Controllers know robots only through src/core interfaces.',
    ),
    floor(
      'hardware:plugins',
      ['controllers', 'research', 'app', 'bench', 'test', 'bin'],
      'Links, the rig and firmware know controllers only through src/core interfaces.',
    ),
    floor(
      'app:root',
      ['bench', 'test', 'bin'],
      'The composition root is used by the CLI, benchmarks and tests.',
    ),
    {
      name: 'no-cycles',
      comment: 'An import cycle makes load order and layering fragile.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|runs)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
