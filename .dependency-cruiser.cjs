/** Layer rules of docs/architecture.md: lower layers never import higher ones; no cycles. */
const layer = (name, mayImport) => ({
  name: `${name}-imports-only-lower-layers`,
  severity: 'error',
  comment: `src/${name} may import only: ${mayImport.join(', ') || 'nothing of ours'}`,
  from: { path: `^src/${name}/` },
  to: { path: '^src/([^/]+)/', pathNot: [`^src/(${[name, ...mayImport].join('|')})/`] },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    layer('lib', []),
    layer('api', ['lib']),
    layer('storage', ['lib', 'api']),
    layer('apiserver', ['lib', 'api', 'storage']),
    layer('client', ['lib', 'api']),
    layer('controllers', ['lib', 'api', 'client']),
    layer('scheduler', ['lib', 'api', 'client']),
    layer('kubelet', ['lib', 'api', 'client']),
    {
      name: 'enter-a-layer-through-its-index',
      severity: 'error',
      comment: 'import another layer through its index.ts',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/.+', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    { name: 'no-test-imports-in-production', severity: 'error', from: { path: '^src/', pathNot: '\\.test\\.ts$' }, to: { path: '\\.test\\.ts$|^test/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
