import { readFileSync } from 'node:fs';
import type { Definitions } from './openapi-schema.js';
import { compiledFile } from '../../lib/index.js';

/** Written by scripts/gen-openapi.mjs into dist/openapi/. */
const DEFINITIONS_URL = compiledFile('../openapi/definitions.json');

let cached: Definitions | undefined;

/** The generated component schemas, read from disk on first use and shared afterwards. */
export function loadDefinitions(): Definitions {
  if (cached !== undefined) return cached;
  let text: string;
  try {
    text = readFileSync(DEFINITIONS_URL, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${DEFINITIONS_URL.pathname} (run \`node scripts/gen-openapi.mjs\`): ${String(err)}`);
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${DEFINITIONS_URL.pathname} is not a map of schemas`);
  }
  cached = parsed as Definitions;
  return cached;
}
