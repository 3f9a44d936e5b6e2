import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { formatGoDuration } from './go-duration.js';
import { WIRE_LENGTH_DELIMITED, WIRE_VARINT, type WireReader } from './wire-reader.js';

type SpecialDecoder = (reader: WireReader) => unknown;

interface Timestamp {
  seconds: number;
  nanos: number;
}

function readTimestamp(reader: WireReader): Timestamp {
  const ts: Timestamp = { seconds: 0, nanos: 0 };
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.readKey();
    if (fieldNumber === 1 && wireType === WIRE_VARINT) ts.seconds = reader.readInt64();
    else if (fieldNumber === 2 && wireType === WIRE_VARINT) ts.nanos = reader.readInt32();
    else reader.skip(wireType);
  }
  return ts;
}

function isoSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) throw new ProtobufDecodeError(`timestamp ${seconds} is out of range`);
  return date.toISOString().slice(0, 19);
}

/** The single field of a wrapper message (Quantity's string, FieldsV1's raw bytes, ...). */
function readOnlyField<T>(reader: WireReader, read: (r: WireReader) => T): T | undefined {
  let value: T | undefined;
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.readKey();
    if (fieldNumber === 1 && wireType === WIRE_LENGTH_DELIMITED) value = read(reader);
    else reader.skip(wireType);
  }
  return value;
}

function parseEmbeddedJson(bytes: Uint8Array | undefined, what: string): unknown {
  if (bytes === undefined || bytes.length === 0) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new ProtobufDecodeError(`${what} does not hold JSON`);
  }
}

function readStringList(reader: WireReader): string[] {
  const items: string[] = [];
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.readKey();
    if (fieldNumber === 1 && wireType === WIRE_LENGTH_DELIMITED) items.push(reader.readString());
    else reader.skip(wireType);
  }
  return items;
}

function readIntOrString(reader: WireReader): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (!reader.done()) {
    const { fieldNumber, wireType } = reader.readKey();
    if (fieldNumber === 1 && wireType === WIRE_VARINT) type = reader.readInt64();
    else if (fieldNumber === 2 && wireType === WIRE_VARINT) intVal = reader.readInt32();
    else if (fieldNumber === 3 && wireType === WIRE_LENGTH_DELIMITED) strVal = reader.readString();
    else reader.skip(wireType);
  }
  return type === 1 ? strVal : intVal;
}

// A zero Time/MicroTime is marshalled as an empty message; JSON renders it as null.
const specialDecoders: Readonly<Record<string, SpecialDecoder>> = {
  Time: (reader) => (reader.done() ? null : `${isoSeconds(readTimestamp(reader).seconds)}Z`),
  MicroTime: (reader) => {
    if (reader.done()) return null;
    const { seconds, nanos } = readTimestamp(reader);
    const micros = String(Math.floor(nanos / 1000)).padStart(6, '0');
    return `${isoSeconds(seconds)}.${micros}Z`;
  },
  Duration: (reader) => {
    let nanos = 0n;
    while (!reader.done()) {
      const { fieldNumber, wireType } = reader.readKey();
      if (fieldNumber === 1 && wireType === WIRE_VARINT) nanos = BigInt.asIntN(64, reader.readVarint());
      else reader.skip(wireType);
    }
    return formatGoDuration(nanos);
  },
  Quantity: (reader) => readOnlyField(reader, (r) => r.readString()) ?? '0',
  IntOrString: readIntOrString,
  RawExtension: (reader) => parseEmbeddedJson(readOnlyField(reader, (r) => r.readBytes()), 'RawExtension'),
  FieldsV1: (reader) => parseEmbeddedJson(readOnlyField(reader, (r) => r.readBytes()), 'FieldsV1'),
  ExtraValue: readStringList,
  AttestationValue: readStringList,
};

export function specialDecoder(message: string): SpecialDecoder | undefined {
  return Object.hasOwn(specialDecoders, message) ? specialDecoders[message] : undefined;
}
