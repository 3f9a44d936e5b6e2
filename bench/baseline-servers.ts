// Baseline servers for the API benchmark, run as child processes like the server under test:
//   node baseline-servers.js echo <pki-dir>    an HTTPS server that parses a JSON body, sets server fields, echoes it (201)
//   node baseline-servers.js fanout <pki-dir>  a TLS server that writes the same event line to every connection
// Each prints its port on stdout. The fan-out server broadcasts `{"sent":<ms>}` lines at the rate read from stdin.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';

const [mode, pki] = process.argv.slice(2);
const tls = { key: readFileSync(`${pki}/apiserver.key`), cert: readFileSync(`${pki}/apiserver.crt`) };
let revision = 0;

if (mode === 'echo') {
  const server = createServer({ ...tls, keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const obj = JSON.parse(Buffer.concat(chunks).toString()) as { metadata: Record<string, unknown> };
      obj.metadata.uid = randomUUID();
      obj.metadata.resourceVersion = String(++revision);
      obj.metadata.creationTimestamp = new Date().toISOString();
      const body = JSON.stringify(obj);
      res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port));
} else if (mode === 'fanout') {
  const sockets = new Set<TLSSocket>();
  const server = createTlsServer(tls, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port));
  const pad = 'x'.repeat(2900);
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [count, perSecond] = line.split(' ').map(Number);
    let sent = 0;
    const timer = setInterval(() => {
      const bytes = Buffer.from(`{"type":"ADDED","object":{"sent":${performance.timeOrigin + performance.now()},"pad":"${pad}"}}\n`);
      for (const s of sockets) s.write(bytes);
      if (++sent >= count!) clearInterval(timer);
    }, 1000 / perSecond!);
  });
}
