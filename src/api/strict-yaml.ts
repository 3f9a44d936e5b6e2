/**
 * YAML bodies read the way kube-apiserver reads them (go-yaml v2 via sigs.k8s.io/yaml): YAML 1.1
 * scalars (`yes`/`on` are booleans, `0777` is octal), timestamps kept as strings, only the first
 * document, and duplicate keys reported as go-yaml's strict mode words them
 * (`line 5: key "name" already set in map`).
 */
import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  LineCounter,
  parseAllDocuments,
  type Node as YamlNode,
  type Tags,
} from 'yaml';
import { goNumber, goQuote } from './go-format.js';

/** go-yaml's flow nesting limit. */
export const MAX_YAML_DEPTH = 10000;

export interface YamlDuplicateKey {
  /** 1-based line of the repeated key. */
  readonly line: number;
  /** The key as go-yaml prints it (`"name"`, `true`, `1`). */
  readonly key: string;
  /** Where it sits, in strict-decoding path form (`metadata.labels.app`). */
  readonly path: string;
}

export class YamlSyntaxError extends Error {
  override readonly name = 'YamlSyntaxError';

  constructor(message: string, readonly line?: number) {
    super(message);
  }
}

const DROPPED_TAGS = new Set(['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:binary']);

/** go-yaml v2 keeps timestamps as strings and knows no sexagesimal numbers. */
function goYamlTags(tags: Tags): Tags {
  return tags.filter((tag) => {
    if (typeof tag !== 'object') return true;
    return !DROPPED_TAGS.has(tag.tag) && (tag as { format?: string }).format !== 'TIME';
  });
}

/**
 * Upper bound of flow nesting, counted before parsing: the yaml package exhausts memory on
 * very deep flow collections. Brackets inside strings count too, so the bound is conservative.
 */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return max;
}

function keyText(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (value === null || value === undefined) return '<nil>';
  return String(value);
}

function renderPath(parent: string, segment: string | number): string {
  if (typeof segment === 'number') return `${parent}[${segment}]`;
  return parent === '' ? segment : `${parent}.${segment}`;
}

interface Found extends YamlDuplicateKey {
  readonly end: number;
  readonly depth: number;
}

/**
 * Duplicate keys of every mapping, in the order go-yaml reports them: it checks a key after
 * decoding its value, so errors come by where the value ends, inner ones first. The line is the
 * value's, as go-yaml reports it. Aliases are not followed.
 */
function findDuplicates(root: YamlNode | null, lines: LineCounter): YamlDuplicateKey[] {
  const found: Found[] = [];
  const stack: { node: unknown; path: string; depth: number }[] = [{ node: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop() ?? { node: null, path: '', depth: 0 };
    if (!isCollection(node) || isAlias(node)) continue;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const value = pair.key.value;
        if (value === '<<') continue;
        const identity = `${typeof value}:${String(value)}`;
        const childPath = renderPath(path, String(value));
        if (seen.has(identity)) {
          const valueRange = (pair.value as YamlNode | null)?.range;
          const start = valueRange?.[0] ?? pair.key.range?.[0] ?? 0;
          const end = valueRange?.[1] ?? pair.key.range?.[1] ?? 0;
          found.push({ line: lines.linePos(start).line, key: keyText(value), path: childPath, end, depth });
        }
        seen.add(identity);
        stack.push({ node: pair.value, path: childPath, depth: depth + 1 });
      }
    } else {
      node.items.forEach((item, i) => stack.push({ node: item, path: renderPath(path, i), depth: depth + 1 }));
    }
  }
  found.sort((a, b) => a.end - b.end || b.depth - a.depth);
  return found.map(({ line, key, path }) => ({ line, key, path }));
}

/** The first document of a YAML text as plain data, and its duplicate keys. */
export function decodeYaml(text: string): { value: unknown; duplicates: YamlDuplicateKey[] } {
  if (flowDepth(text) > MAX_YAML_DEPTH) throw new YamlSyntaxError(`yaml: exceeded max depth of ${MAX_YAML_DEPTH}`);
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.1',
    uniqueKeys: false,
    customTags: goYamlTags,
    lineCounter: lines,
    prettyErrors: false,
  });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (doc === undefined) return { value: null, duplicates: [] };
  const error = doc.errors[0];
  if (error !== undefined) {
    const line = lines.linePos(error.pos[0]).line;
    const detail = error.message.includes('Maximum call stack size exceeded')
      ? 'too deeply nested'
      : (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new YamlSyntaxError(`yaml: line ${line}: ${detail}`, line);
  }
  const duplicates = findDuplicates(doc.contents, lines);
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), duplicates };
  } catch (err) {
    throw new YamlSyntaxError(`yaml: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The strict error go-yaml reports for duplicate keys, as one text. */
export function yamlDuplicatesError(duplicates: readonly YamlDuplicateKey[]): string {
  const lines = duplicates.map((d) => `line ${d.line}: key ${d.key} already set in map`);
  return `yaml: unmarshal errors:\n  ${lines.join('\n  ')}`;
}
