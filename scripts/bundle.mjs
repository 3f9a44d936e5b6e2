// Bundles the CLI (dist/src/cli/index.js and everything it imports) into dist/src/cli-bundle/, which bin/skiff loads:
// one file parses and links much faster than the ~700 modules it replaces, which is most of skiff's start-up time.
// Packages that are native (better-sqlite3) or only needed for etcd and CRI (etcd3, gRPC, protobufjs) stay outside;
// the etcd store is its own chunk, loaded on first use as before. Run after tsc (npm run build does both).
import { build } from 'esbuild';

await build({
  entryPoints: { index: 'dist/src/cli/index.js' },
  outdir: 'dist/src/cli-bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'etcd3', '@grpc/grpc-js', 'protobufjs'],
  // CommonJS packages inside the bundle call require() for Node's built-ins.
  banner: { js: "import { createRequire as __skiffCreateRequire } from 'node:module'; const require = __skiffCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
