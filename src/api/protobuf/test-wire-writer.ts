/** A minimal protobuf writer for tests: fields are written in call order, like Go's marshaller. */
export class WireWriter {
  private readonly bytes: number[] = [];

  varint(field: number, value: number | bigint): this {
    this.key(field, 0);
    this.rawVarint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.varint(field, value ? 1 : 0);
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  bytesField(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.rawVarint(BigInt(value.length));
    this.bytes.push(...value);
    return this;
  }

  message(field: number, build: (w: WireWriter) => unknown = () => undefined): this {
    const child = new WireWriter();
    build(child);
    return this.bytesField(field, child.finish());
  }

  mapEntry(field: number, key: string, value: string | Uint8Array): this {
    return this.message(field, (e) => {
      e.string(1, key);
      if (typeof value === 'string') e.string(2, value);
      else e.bytesField(2, value);
    });
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  private key(field: number, wireType: number): void {
    this.rawVarint(BigInt((field << 3) | wireType));
  }

  private rawVarint(value: bigint): void {
    let v = value;
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }
}

/** ObjectMeta as Go marshals it: every non-pointer field, a zero creationTimestamp as an empty message. */
export function objectMeta(w: WireWriter, meta: { name?: string; namespace?: string; labels?: Record<string, string> }): void {
  w.string(1, meta.name ?? '').string(2, '').string(3, meta.namespace ?? '').string(4, '').string(5, '').string(6, '');
  w.varint(7, 0).message(8);
  for (const [key, value] of Object.entries(meta.labels ?? {})) w.mapEntry(11, key, value);
}

export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const unknown = new WireWriter()
    .message(1, (t) => t.string(1, apiVersion).string(2, kind))
    .bytesField(2, raw)
    .string(3, '')
    .string(4, '')
    .finish();
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...unknown]);
}
