import { ProtobufDecodeError } from './protobuf-decode-error.js';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

export interface FieldKey {
  readonly fieldNumber: number;
  readonly wireType: number;
}

const utf8 = new TextDecoder('utf-8');

/** Reads the protobuf wire format from a byte range; every overrun throws ProtobufDecodeError. */
export class WireReader {
  private pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  readKey(): FieldKey {
    const key = this.readVarint();
    const fieldNumber = Number(key >> 3n);
    if (fieldNumber === 0) throw new ProtobufDecodeError(`invalid field number 0 at offset ${this.pos}`);
    return { fieldNumber, wireType: Number(key & 7n) };
  }

  readVarint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byteAt(this.pos++);
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new ProtobufDecodeError(`varint longer than 10 bytes at offset ${this.pos}`);
  }

  readInt64(): number {
    return Number(BigInt.asIntN(64, this.readVarint()));
  }

  readInt32(): number {
    return Number(BigInt.asIntN(32, this.readVarint()));
  }

  readBool(): boolean {
    return this.readVarint() !== 0n;
  }

  readDouble(): number {
    const bytes = this.take(8);
    return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
  }

  readBytes(): Uint8Array {
    return this.take(this.readLength());
  }

  readString(): string {
    return utf8.decode(this.readBytes());
  }

  /** A reader over the next length-delimited field's payload; this reader moves past it. */
  readSubReader(): WireReader {
    const length = this.readLength();
    const start = this.pos;
    this.skipBytes(length);
    return new WireReader(this.buf, start, start + length);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.readVarint();
        return;
      case WIRE_FIXED64:
        this.skipBytes(8);
        return;
      case WIRE_LENGTH_DELIMITED:
        this.skipBytes(this.readLength());
        return;
      case WIRE_FIXED32:
        this.skipBytes(4);
        return;
      default:
        throw new ProtobufDecodeError(`unsupported wire type ${wireType} at offset ${this.pos}`);
    }
  }

  private readLength(): number {
    const length = this.readVarint();
    if (length > BigInt(this.end - this.pos)) {
      throw new ProtobufDecodeError(`truncated data: length ${length} at offset ${this.pos} exceeds the message`);
    }
    return Number(length);
  }

  private take(length: number): Uint8Array {
    const start = this.pos;
    this.skipBytes(length);
    return this.buf.subarray(start, start + length);
  }

  private skipBytes(length: number): void {
    if (this.pos + length > this.end) {
      throw new ProtobufDecodeError(`truncated data at offset ${this.pos}`);
    }
    this.pos += length;
  }

  private byteAt(offset: number): number {
    const byte = offset < this.end ? this.buf[offset] : undefined;
    if (byte === undefined) throw new ProtobufDecodeError(`truncated varint at offset ${offset}`);
    return byte;
  }
}
