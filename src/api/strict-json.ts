/**
 * The strictness checks of sigs.k8s.io/json's UnmarshalStrict over a JSON text: duplicate keys
 * (which JSON.parse silently resolves to the last) and keys a schema does not know, in document
 * order, with upstream's paths (`spec.containers[0].name`). The text must already be known-valid
 * JSON (JSON.parse accepted it), so the scan only has to find token boundaries.
 */
import { MAX_JSON_DEPTH } from './json-syntax.js';
import { acceptsShape, fieldTable, hasUnknownField, MAX_QUICK_DEPTH, UNKNOWN_FIELD, type FieldTable, type StructuralSchema } from './structural-schema.js';

export interface StrictFinding {
  readonly kind: 'duplicate' | 'unknown';
  readonly path: string;
}

/** Thrown when containers nest deeper than Go's decoder allows. */
export class JsonDepthError extends Error {
  override readonly name = 'JsonDepthError';

  constructor(readonly offset: number, character: string) {
    super(`invalid character '${character}' exceeded max depth`);
  }
}

/** Upstream stops collecting strict errors after this many. */
const MAX_FINDINGS = 100;
/** Objects with more keys than this track them in a Set rather than an array. */
const SMALL_OBJECT_KEYS = 16;

interface Frame {
  readonly isObject: boolean;
  readonly schema: StructuralSchema | undefined;
  /** The object schema's fields, for object frames with a schema. */
  readonly fields: FieldTable | undefined;
  /** Whether duplicates and unknown keys are looked for inside (not in a skipped subtree). */
  readonly check: boolean;
  keys: string[] | Set<string> | undefined;
  index: number;
}

function renderPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += i === 0 ? segment : `.${segment}`;
  }
  return out;
}

/** Records the key; true if the object already had it. */
function seenBefore(frame: Frame, key: string): boolean {
  const keys = frame.keys;
  if (keys === undefined) {
    frame.keys = [key];
    return false;
  }
  if (Array.isArray(keys)) {
    if (keys.includes(key)) return true;
    keys.push(key);
    if (keys.length > SMALL_OBJECT_KEYS) frame.keys = new Set(keys);
    return false;
  }
  if (keys.has(key)) return true;
  keys.add(key);
  return false;
}

/** One pass over a valid JSON text; `i` is the read position. */
class StrictScanner {
  readonly findings: StrictFinding[] = [];
  private readonly seen = new Set<string>();
  private readonly stack: Frame[] = [];
  private readonly path: (string | number)[] = [];
  private i = 0;
  private childSchema: StructuralSchema | undefined;
  private childCheck = true;

  constructor(
    private readonly text: string,
    schema: StructuralSchema | undefined,
  ) {
    this.childSchema = schema;
  }

  private report(kind: StrictFinding['kind']): void {
    const path = renderPath(this.path);
    const id = `${kind}\0${path}`;
    if (this.findings.length >= MAX_FINDINGS || this.seen.has(id)) return;
    this.seen.add(id);
    this.findings.push({ kind, path });
  }

  /** In valid JSON, only whitespace sits at or below U+0020 outside strings. */
  private skipSpace(): void {
    const text = this.text;
    let i = this.i;
    while (text.charCodeAt(i) <= 0x20) i++;
    this.i = i;
  }

  /** At an opening quote: moves past the closing one. */
  private skipString(): void {
    const text = this.text;
    let from = this.i + 1;
    for (;;) {
      const quote = text.indexOf('"', from);
      let backslashes = 0;
      while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
      if ((backslashes & 1) === 0) {
        this.i = quote + 1;
        return;
      }
      from = quote + 1;
    }
  }

  /** At a key: reads it and the colon, and sets up the value's schema and path. */
  private enterKey(frame: Frame): void {
    const text = this.text;
    const start = this.i;
    let i = start + 1;
    let escaped = false;
    for (let c = text.charCodeAt(i); c !== 0x22; c = text.charCodeAt(++i)) {
      if (c === 0x5c) {
        escaped = true;
        i++;
      }
    }
    this.i = i + 1;
    this.skipSpace();
    this.i++;
    this.skipSpace();
    if (!frame.check) {
      this.childCheck = false;
      return;
    }
    const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
    this.path.push(key);
    const fields = frame.fields;
    const field = fields === undefined ? undefined : (fields.known.get(key) ?? fields.other);
    if (field === UNKNOWN_FIELD) {
      this.report('unknown');
      this.childCheck = false;
      this.childSchema = undefined;
      return;
    }
    if (seenBefore(frame, key)) this.report('duplicate');
    this.childSchema = field;
    this.childCheck = true;
  }

  private enterElement(frame: Frame): void {
    this.childCheck = frame.check;
    if (!frame.check) return;
    this.path.push(frame.index);
    this.childSchema = frame.schema?.items;
  }

  run(): StrictFinding[] {
    const text = this.text;
    const stack = this.stack;
    this.skipSpace();
    for (;;) {
      const c = text.charCodeAt(this.i);
      if (c === 0x7b || c === 0x5b) {
        if (stack.length >= MAX_JSON_DEPTH) throw new JsonDepthError(this.i, text[this.i] ?? '');
        const isObject = c === 0x7b;
        const schema = this.childSchema;
        const check = this.childCheck && (schema === undefined || acceptsShape(schema, isObject ? 'object' : 'array'));
        const fields = isObject && check && schema !== undefined ? fieldTable(schema) : undefined;
        const frame: Frame = { isObject, schema, fields, check, keys: undefined, index: 0 };
        stack.push(frame);
        this.i++;
        this.skipSpace();
        const next = text.charCodeAt(this.i);
        if (next !== 0x7d && next !== 0x5d) {
          if (isObject) this.enterKey(frame);
          else this.enterElement(frame);
          continue;
        }
        this.i++;
        stack.pop();
      } else if (c === 0x22) {
        this.skipString();
      } else {
        let i = this.i + 1;
        for (let d = text.charCodeAt(i); d > 0x20 && d !== 0x2c && d !== 0x5d && d !== 0x7d; d = text.charCodeAt(++i));
        this.i = i;
      }
      // A value ended: pop its path segment, then close containers until one continues.
      let frame = stack[stack.length - 1];
      for (;;) {
        if (frame === undefined) return this.findings;
        if (frame.check) this.path.pop();
        this.skipSpace();
        if (text.charCodeAt(this.i) === 0x2c) break;
        this.i++;
        stack.pop();
        frame = stack[stack.length - 1];
      }
      this.i++;
      this.skipSpace();
      if (frame.isObject) this.enterKey(frame);
      else {
        frame.index++;
        this.enterElement(frame);
      }
    }
  }
}

/** Duplicate and unknown fields of a valid JSON text, in document order. */
export function scanStrictJson(text: string, schema?: StructuralSchema): StrictFinding[] {
  return new StrictScanner(text, schema).run();
}

/**
 * True when `text` (valid JSON, parsed into `value`) certainly has no duplicate and, against `schema`, no unknown
 * field, so that scanStrictJson would find nothing; false means "scan it". Nearly every body is clean, and this
 * costs a native search for quotes plus a walk of the parsed value instead of a scan of every character: a text that
 * spells as many keys as parsing kept has no key twice in one object.
 */
export function certainlyClean(text: string, value: unknown, schema?: StructuralSchema): boolean {
  const kept = keysKept(value, 0);
  if (kept < 0 || kept !== keysSpelled(text)) return false;
  return schema === undefined || !hasUnknownField(value, schema);
}

/** The keys of every object in a parsed value; -1 past MAX_QUICK_DEPTH (left to the scanner). */
function keysKept(value: unknown, depth: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > MAX_QUICK_DEPTH) return -1;
  let n = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const k = keysKept(value[i], depth + 1);
      if (k < 0) return -1;
      n += k;
    }
    return n;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const k = keysKept(record[key], depth + 1);
    if (k < 0) return -1;
    n += k + 1;
  }
  return n;
}

/** The strings of a valid JSON text that a colon follows: its object keys. */
function keysSpelled(text: string): number {
  let n = 0;
  let i = 0;
  for (;;) {
    const open = text.indexOf('"', i);
    if (open < 0) return n;
    let close = open;
    for (;;) {
      close = text.indexOf('"', close + 1);
      if (close < 0) return -1;
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    let j = close + 1;
    let c = text.charCodeAt(j);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++j);
    if (c === 0x3a) n++;
    i = j;
  }
}
