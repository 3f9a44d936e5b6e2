import type Database from 'better-sqlite3';

/**
 * The log: one row per write, the row id is the revision (AUTOINCREMENT, so never reused, even after
 * compaction removes the newest row). A row's value is the key's value after that write; a tombstone
 * (deleted = 1) has no value and points at the row it ended through prev_revision. The previous value of
 * any change is the value of its prev_revision row, which compaction keeps as long as the change is retained.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS kv_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  expires_at INTEGER,
  value TEXT
);
CREATE INDEX IF NOT EXISTS kv_log_name_id ON kv_log (name, id);
CREATE INDEX IF NOT EXISTS kv_log_prev ON kv_log (prev_revision);
CREATE INDEX IF NOT EXISTS kv_log_expires ON kv_log (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS kv_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

export interface LogRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  value: string | null;
}

export interface ChangeRow extends LogRow {
  prev_value: string | null;
}

const LATEST_AT = `SELECT MAX(id) AS id FROM kv_log WHERE name >= @start AND name < @end AND id <= @rev GROUP BY name`;

export function prepareStatements(db: Database.Database) {
  db.exec(DDL);
  return {
    latest: db.prepare<[string], LogRow>(
      `SELECT id, name, created, deleted, create_revision, value FROM kv_log WHERE name = ? ORDER BY id DESC LIMIT 1`,
    ),
    atRevision: db.prepare<[string, number], LogRow>(
      `SELECT id, name, created, deleted, create_revision, value FROM kv_log WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`,
    ),
    insert: db.prepare<[number, string, number, number, number, number, number | null, string | null]>(
      `INSERT INTO kv_log (id, name, created, deleted, create_revision, prev_revision, expires_at, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // The grouped index scan yields names in order and CROSS JOIN keeps that loop order, which spares SQLite a
    // sort (an ORDER BY here costs a temporary B-tree); SqliteStorage.list checks the order.
    list: db.prepare<{ start: string; end: string; rev: number; limit: number }, LogRow>(
      `SELECT l.id, l.name, l.created, l.deleted, l.create_revision, l.value FROM (${LATEST_AT}) m CROSS JOIN kv_log l ON l.id = m.id
       WHERE l.deleted = 0 LIMIT @limit`,
    ),
    count: db.prepare<{ start: string; end: string; rev: number }, { n: number }>(
      `SELECT COUNT(*) AS n FROM kv_log l JOIN (${LATEST_AT}) m ON l.id = m.id WHERE l.deleted = 0`,
    ),
    changes: db.prepare<{ after: number; before: number; start: string; end: string }, ChangeRow>(
      `SELECT l.id, l.name, l.created, l.deleted, l.create_revision, l.value, p.value AS prev_value
       FROM kv_log l LEFT JOIN kv_log p ON p.id = l.prev_revision
       WHERE l.id > @after AND l.id < @before AND l.name >= @start AND l.name < @end ORDER BY l.id LIMIT 500`,
    ),
    lastChangeBefore: db.prepare<{ after: number; before: number }, { id: number | null }>(
      `SELECT MAX(id) AS id FROM kv_log WHERE id > @after AND id < @before`,
    ),
    expired: db.prepare<[number], { name: string; id: number }>(
      `SELECT l.name, l.id FROM kv_log l WHERE l.expires_at IS NOT NULL AND l.expires_at <= ? AND l.deleted = 0
       AND l.id = (SELECT MAX(id) FROM kv_log WHERE name = l.name) LIMIT 1000`,
    ),
    compactSuperseded: db.prepare<[number, number]>(
      `DELETE FROM kv_log WHERE id IN (SELECT prev_revision FROM kv_log WHERE id > ? AND id <= ? AND prev_revision > 0)`,
    ),
    compactTombstones: db.prepare<[number, number]>(`DELETE FROM kv_log WHERE id > ? AND id <= ? AND deleted = 1`),
    sequence: db.prepare<[], { seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = 'kv_log'`),
    getMeta: db.prepare<[string], { value: number }>(`SELECT value FROM kv_meta WHERE name = ?`),
    setMeta: db.prepare<[string, number]>(
      `INSERT INTO kv_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

/** The exclusive upper bound of every key that starts with `prefix`. */
export function prefixEnd(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
