import { createRequire } from 'node:module';
import type { Client, ServiceError } from '@grpc/grpc-js';
import { CRI_METHODS, type CriMethod, criRoot } from './cri-proto.js';

/** gRPC's NOT_FOUND status code. */
const NOT_FOUND = 5;

/** @grpc/grpc-js, loaded on first use: only a kubelet that speaks CRI pays for it. */
const grpc = (): typeof import('@grpc/grpc-js') => createRequire(import.meta.url)('@grpc/grpc-js') as typeof import('@grpc/grpc-js');

/** A failed CRI call, with its gRPC status code (5 NOT_FOUND, 4 DEADLINE_EXCEEDED …). */
export class CriCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`CRI ${method}: ${details || `gRPC status ${code}`}`);
    this.name = 'CriCallError';
  }

  get notFound(): boolean {
    return this.code === NOT_FOUND;
  }
}

const conversion = { longs: Number, enums: String, defaults: true, arrays: true, objects: true } as const;

type Codec = { path: string; serialize: (value: object) => Buffer; deserialize: (bytes: Buffer) => unknown };
let codecs: Map<string, Codec> | undefined;

/** The request and response codecs of every method, built on first use. */
const codecsOf = (): Map<string, Codec> =>
  (codecs ??= new Map(
  Object.entries(CRI_METHODS).map(([method, [service, req, res]]) => {
    const root = criRoot();
    const request = root.lookupType(`runtime.v1.${req}`);
    const response = root.lookupType(`runtime.v1.${res}`);
    return [
      method,
      {
        path: `/runtime.v1.${service}/${method}`,
        serialize: (value: object) => Buffer.from(request.encode(request.fromObject(value)).finish()),
        deserialize: (bytes: Buffer) => response.toObject(response.decode(bytes), conversion),
      },
    ];
  }),
));

/**
 * The runtime.v1 RuntimeService and ImageService over gRPC, on a unix socket (`unix:///run/containerd/containerd.sock`).
 * Messages go in and come out as plain objects with camelCase fields, enums as their names and 64-bit integers as
 * numbers. Every call has a deadline; a failure rejects with CriCallError.
 */
export class CriClient {
  private readonly client: Client;

  constructor(
    readonly endpoint: string,
    private readonly defaultTimeoutMs = 120_000,
  ) {
    const target = endpoint.startsWith('unix://') ? endpoint : `unix://${endpoint}`;
    const { Client: GrpcClient, credentials } = grpc();
    this.client = new GrpcClient(target, credentials.createInsecure(), { 'grpc.max_receive_message_length': 16 * 1024 * 1024 });
  }

  call<T = Record<string, unknown>>(method: CriMethod, request: object, timeoutMs = this.defaultTimeoutMs): Promise<T> {
    const codec = codecsOf().get(method)!;
    return new Promise<T>((resolve, reject) => {
      this.client.makeUnaryRequest(codec.path, codec.serialize, codec.deserialize, request, new (grpc().Metadata)(), { deadline: Date.now() + timeoutMs }, (err: ServiceError | null, value?: unknown) => {
        if (err) reject(new CriCallError(method, err.code, err.details));
        else resolve(value as T);
      });
    });
  }

  close(): void {
    this.client.close();
  }
}
