// A child process for the kill -9 durability test: writers, each owning one key, update their key in a
// loop with an increasing sequence number and print `ack <writer> <seq> <revision>` once a write is acknowledged.
import { SqliteStorage } from '../../src/storage/index.js';

const [path, writersArg] = process.argv.slice(2);
const writers = Number(writersArg ?? 8);
const storage = SqliteStorage.open({ path: path! });

async function writer(w: number): Promise<void> {
  const key = `/registry/configmaps/durability/w${w}`;
  let current = await storage.get(key);
  let seq = current ? (JSON.parse(current.value) as { seq: number }).seq : 0;
  for (;;) {
    seq++;
    const value = JSON.stringify({ writer: w, seq, pad: 'x'.repeat(1500) });
    current = current ? await storage.update(key, value, current.modRevision) : await storage.create(key, value);
    process.stdout.write(`ack ${w} ${seq} ${current.modRevision}\n`);
  }
}

process.stdout.write('ready\n');
for (let w = 0; w < writers; w++) void writer(w);
