import { Database } from "bun:sqlite";
import { existsSync, statSync } from "node:fs";

/** The state database failed its start-up check; `message` names the file and says how to recover. */
export class StateDatabaseDamagedError extends Error {
  override readonly name = "StateDatabaseDamagedError";
  readonly code = "state_db_damaged";
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(
      `The state database ${path} is damaged (${detail}). The gateway does not serve until it is repaired: stop it, then restore the file from a backup ` +
        `(openclaw backup restore <archive>), or keep what is readable with \`sqlite3 "${path}" .recover | sqlite3 "${path}.recovered"\` and move that into place, ` +
        `or move the damaged file aside (\`mv "${path}" "${path}.damaged"\`) to start with empty sessions.`,
    );
  }
}

/**
 * `PRAGMA quick_check` on the state database before it is used (a missing or empty file is fine: it is created).
 * Returns the error to report, or undefined when the file is sound. Reads every page once: a few ms for a few MB.
 */
export function checkStateDatabase(path: string): StateDatabaseDamagedError | undefined {
  if (path === ":memory:" || !existsSync(path) || statSync(path).size === 0) return undefined;
  let db: Database | undefined;
  try {
    db = new Database(path, { create: false, readwrite: true, strict: true });
    const rows = db.query<{ quick_check: string }, []>("PRAGMA quick_check(5)").all();
    const problems = rows.map((r) => Object.values(r)[0]).filter((v) => v !== "ok");
    return problems.length ? new StateDatabaseDamagedError(path, problems.join("; ")) : undefined;
  } catch (error) {
    return new StateDatabaseDamagedError(path, error instanceof Error ? error.message : String(error));
  } finally {
    db?.close();
  }
}
