import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

/** Opens `<stateDir>/state.db` in WAL mode, so the gateway and a CLI command can use it at once. */
export function openStateDb(stateDir: string): Database {
  const path = join(stateDir, "state.db");
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: true });
  db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;");
  return db;
}
