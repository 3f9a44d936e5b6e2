import { messageSchema } from './message-registry.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import type { FieldType, ScalarType } from './schema.js';
import { specialDecoder } from './special-types.js';
import { WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT, WireReader } from './wire-reader.js';

const EMPTY = new Uint8Array(0);

function wireTypeOf(type: FieldType): number {
  if (type === 'int32' || type === 'int64' || type === 'bool') return WIRE_VARINT;
  if (type === 'double') return WIRE_FIXED64;
  return WIRE_LENGTH_DELIMITED;
}

function readScalar(reader: WireReader, type: ScalarType): unknown {
  switch (type) {
    case 'string':
      return reader.readString();
    case 'bytes':
      return Buffer.from(reader.readBytes()).toString('base64');
    case 'int32':
      return reader.readInt32();
    case 'int64':
      return reader.readInt64();
    case 'bool':
      return reader.readBool();
    case 'double':
      return reader.readDouble();
  }
}

function zeroValue(type: FieldType): unknown {
  if (typeof type !== 'string') return readValue(new WireReader(EMPTY), type, WIRE_LENGTH_DELIMITED);
  if (type === 'bool') return false;
  return type === 'string' || type === 'bytes' ? '' : 0;
}

function readValue(reader: WireReader, type: FieldType, wireType: number): unknown {
  const expected = wireTypeOf(type);
  if (wireType !== expected) {
    throw new ProtobufDecodeError(`wire type ${wireType} does not match a ${JSON.stringify(type)} field`);
  }
  if (typeof type === 'string') return readScalar(reader, type);
  if ('message' in type) return decodeMessage(reader.readSubReader(), type.message);
  throw new ProtobufDecodeError('nested repeated or map fields are not valid protobuf');
}

function readRepeated(reader: WireReader, type: FieldType, wireType: number): unknown[] {
  const packed = wireType === WIRE_LENGTH_DELIMITED && wireTypeOf(type) !== WIRE_LENGTH_DELIMITED;
  if (!packed) return [readValue(reader, type, wireType)];
  const items: unknown[] = [];
  const sub = reader.readSubReader();
  while (!sub.done()) items.push(readValue(sub, type, wireTypeOf(type)));
  return items;
}

function readMapEntry(reader: WireReader, type: FieldType): [string, unknown] {
  let key = '';
  let value: unknown;
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.readKey();
    if (fieldNumber === 1 && wireType === WIRE_LENGTH_DELIMITED) key = reader.readString();
    else if (fieldNumber === 2) value = readValue(reader, type, wireType);
    else reader.skip(wireType);
  }
  return [key, value === undefined ? zeroValue(type) : value];
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

let unknownSink: string[] | undefined;

/** Runs `fn` collecting, as `<Message>.<field number>`, every field number the tables do not know. */
export function collectingUnknownFields<T>(fn: () => T): { value: T; unknown: string[] } {
  const outer = unknownSink;
  const unknown: string[] = [];
  unknownSink = unknown;
  try {
    return { value: fn(), unknown };
  } finally {
    unknownSink = outer;
  }
}

/** Decodes one message into its JSON form; unknown field numbers are skipped (and reported to a collector). */
export function decodeMessage(reader: WireReader, message: string): unknown {
  const special = specialDecoder(message);
  if (special) return special(reader);
  const schema = messageSchema(message);
  if (!schema) throw new ProtobufDecodeError(`no schema for message ${message}`, 'unsupported');
  const out: Record<string, unknown> = {};
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.readKey();
    const spec = schema[fieldNumber];
    if (!spec) {
      unknownSink?.push(`${message}.${fieldNumber}`);
      reader.skip(wireType);
      continue;
    }
    const [name, type, flag] = spec;
    if (typeof type !== 'string' && 'list' in type) {
      const existing = out[name];
      const items = readRepeated(reader, type.list, wireType);
      out[name] = Array.isArray(existing) ? [...(existing as unknown[]), ...items] : items;
    } else if (typeof type !== 'string' && 'map' in type) {
      if (wireType !== WIRE_LENGTH_DELIMITED) throw new ProtobufDecodeError(`map field ${name} is not length-delimited`);
      const [key, value] = readMapEntry(reader.readSubReader(), type.map);
      const existing = out[name];
      const map = typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>) : {};
      Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
      out[name] = map;
    } else {
      const value = readValue(reader, type, wireType);
      if (flag === 'inline') Object.assign(out, value);
      else if (typeof type === 'string' && flag !== 'keep' && isZero(value)) delete out[name];
      else out[name] = value;
    }
  }
  return out;
}
