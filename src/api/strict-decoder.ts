/**
 * Request-body decoding for `fieldValidation`: the value plus every duplicate and unknown field,
 * worded as kube-apiserver words them, so the server can fail (Strict) or warn (Warn).
 */
import { goQuote } from './go-format.js';
import { findJsonSyntaxProblem } from './json-syntax.js';
import { findUnknownFields, type StructuralSchema } from './structural-schema.js';
import { certainlyClean, JsonDepthError, scanStrictJson } from './strict-json.js';
import { decodeYaml, yamlDuplicatesError, YamlSyntaxError } from './strict-yaml.js';

export type { StructuralSchema } from './structural-schema.js';

export type BodyFormat = 'json' | 'yaml';

export interface StrictDecodeOptions {
  format: BodyFormat;
  /** The schema unknown fields are judged by; without one only duplicates are found. */
  schema?: StructuralSchema;
}

export interface StrictDecodeResult {
  value: unknown;
  /** Paths of fields the schema does not know, e.g. `spec.containers[0].foo`. */
  unknownFields: string[];
  /** Paths of fields given more than once, e.g. `metadata.name`. */
  duplicateFields: string[];
  /** Each strictness violation as upstream words it, in its order. */
  strictErrors: string[];
}

/** A body that is not JSON/YAML at all; the server answers 400. */
export class BodyDecodeError extends Error {
  override readonly name = 'BodyDecodeError';

  constructor(
    message: string,
    readonly format: BodyFormat,
    /** JSON: offset of the offending character. */
    readonly offset?: number,
    /** YAML: 1-based line. */
    readonly line?: number,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function decodeJson(text: string, schema: StructuralSchema | undefined): StrictDecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const problem = findJsonSyntaxProblem(text);
    if (problem) throw new BodyDecodeError(problem.message, 'json', problem.offset);
    throw new BodyDecodeError(err instanceof Error ? err.message : String(err), 'json');
  }
  let findings;
  try {
    findings = certainlyClean(text, value, schema) ? [] : scanStrictJson(text, schema);
  } catch (err) {
    if (err instanceof JsonDepthError) throw new BodyDecodeError(err.message, 'json', err.offset);
    throw err;
  }
  const result: StrictDecodeResult = { value, unknownFields: [], duplicateFields: [], strictErrors: [] };
  for (const finding of findings) {
    if (finding.kind === 'unknown') result.unknownFields.push(finding.path);
    else result.duplicateFields.push(finding.path);
    result.strictErrors.push(`${finding.kind === 'unknown' ? 'unknown' : 'duplicate'} field ${goQuote(finding.path)}`);
  }
  return result;
}

function decodeYamlStrict(text: string, schema: StructuralSchema | undefined): StrictDecodeResult {
  let decoded;
  try {
    decoded = decodeYaml(text);
  } catch (err) {
    if (err instanceof YamlSyntaxError) throw new BodyDecodeError(err.message, 'yaml', undefined, err.line);
    throw err;
  }
  const { value, duplicates } = decoded;
  const unknownFields = schema === undefined ? [] : findUnknownFields(value, schema);
  const strictErrors = duplicates.length > 0 ? [yamlDuplicatesError(duplicates)] : [];
  strictErrors.push(...unknownFields.map((path) => `unknown field ${goQuote(path)}`));
  return { value, unknownFields, duplicateFields: duplicates.map((d) => d.path), strictErrors };
}

export function decodeStrict(body: string | Uint8Array, options: StrictDecodeOptions): StrictDecodeResult {
  const text = typeof body === 'string' ? body : utf8.decode(body);
  return options.format === 'json' ? decodeJson(text, options.schema) : decodeYamlStrict(text, options.schema);
}

/** `strict decoding error: unknown field "spec.foo", ...`, or undefined when there is nothing. */
export function strictDecodingError(result: StrictDecodeResult): string | undefined {
  if (result.strictErrors.length === 0) return undefined;
  return `strict decoding error: ${result.strictErrors.join(', ')}`;
}

const YAML_PREFIX = 'yaml: unmarshal errors:\n';

/** The warnings `fieldValidation=Warn` sends, one per violation (YAML ones split by line). */
export function strictWarnings(result: StrictDecodeResult): string[] {
  return result.strictErrors.flatMap((text) =>
    text.startsWith(YAML_PREFIX) ? text.slice(YAML_PREFIX.length).split('\n').map((line) => line.trim()) : [text],
  );
}

/**
 * The BadRequest message for a body that could not be decoded into its kind:
 * `Pod in version "v1" cannot be handled as a Pod: strict decoding error: ...`.
 */
export function cannotBeHandledMessage(options: {
  /** The kind and version the body declared. */
  kind: string;
  version: string;
  /** The kind the endpoint serves; the body's kind by default. */
  targetKind?: string;
  cause: string;
}): string {
  return `${options.kind} in version ${goQuote(options.version)} cannot be handled as a ${options.targetKind ?? options.kind}: ${options.cause}`;
}
