/**
 * The compiled `src` directory (`dist/src/`): this module compiles to `dist/src/lib/`, one directory below it, and
 * the CLI bundle (`dist/src/cli-bundle/`, see scripts/bundle.mjs) sits one directory below it too, so the same
 * relative step finds it from both.
 */
const COMPILED_SRC = new URL('../', import.meta.url);

/**
 * A file shipped with the compiled code, by its path below `dist/src/` (`storage/sqlite/checkpoint-worker.js`;
 * `../openapi/definitions.json` for one beside it). Code that is also bundled must find its companion files this way,
 * not relative to its own `import.meta.url`, which in the bundle is the bundle's.
 */
export function compiledFile(path: string): URL {
  return new URL(path, COMPILED_SRC);
}
