import { CodedError } from "../errors.ts";
import { Database } from "bun:sqlite";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLoadablePath } from "sqlite-vec";
import { vec0EmbeddedPath } from "./vec0-embedded.ts";

export type VecErrorCode = "not_found" | "load_failed";

export class VecError extends CodedError<VecErrorCode> {
  override readonly name = "VecError";
}

/** The side effects of loading sqlite-vec; tests may swap them, the defaults are the real ones. */
export interface VecOps {
  /** Path of vec0.so inside the binary (`/$bunfs/...`), or undefined when running from source. */
  embeddedPath: string | undefined;
  /** Path of node_modules' vec0.so for this platform (throws when the package is missing). */
  nodeModulesPath: () => string;
  tmpdir: () => string;
}

const defaultOps: VecOps = { embeddedPath: vec0EmbeddedPath, nodeModulesPath: getLoadablePath, tmpdir };

// Embedded path → the private copy this process already dlopen'ed. The copy is unlinked right after loading,
// but the dynamic loader keeps it mapped and matches the same path again, so later databases skip extraction.
const extracted = new Map<string, string>();

/**
 * Loads the sqlite-vec extension (`vec0` virtual tables, `vec_distance_*`, `vec_version()`) into `db`.
 *
 * Compiled binary: the embedded vec0.so cannot be dlopen'ed from /$bunfs, so it is copied once per process to
 * a private temp dir (mode 0700), loaded, and the file and dir are deleted at once. From source it loads
 * node_modules' file directly. Throws `VecError` (`not_found` | `load_failed`) with what to do.
 *
 * @example
 * const db = new Database(":memory:"); loadVec(db); db.query("select vec_version()").get();
 */
export function loadVec(db: Database, ops: VecOps = defaultOps): void {
  if (!ops.embeddedPath) {
    let path: string;
    try {
      path = ops.nodeModulesPath();
    } catch (cause) {
      throw new VecError(
        "not_found",
        `sqlite-vec's native library for ${process.platform}-${process.arch} was not found in node_modules. ` +
          "Run `npm install` (it installs sqlite-vec-<os>-<arch>), or use the compiled binary, which embeds it.",
        { cause },
      );
    }
    loadFrom(db, path);
    return;
  }
  const previous = extracted.get(ops.embeddedPath);
  if (previous) {
    try {
      db.loadExtension(previous);
      return;
    } catch {
      // A loader that does not match by path (e.g. musl) needs a fresh copy; fall through.
    }
  }
  const dir = mkdtempSync(join(ops.tmpdir(), "openclaw-vec-"));
  const file = join(dir, "vec0.so");
  try {
    writeFileSync(file, readFileSync(ops.embeddedPath), { mode: 0o500 });
    loadFrom(db, file);
    extracted.set(ops.embeddedPath, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadFrom(db: Database, path: string): void {
  try {
    db.loadExtension(path);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new VecError(
      "load_failed",
      `Could not load sqlite-vec from ${path}: ${detail}. ` +
        "Memory search still works (its exact rescore runs in JavaScript); on macOS bun:sqlite needs Database.setCustomSQLite() " +
        "pointing at a SQLite built with extension loading.",
      { cause },
    );
  }
}

export type VecCheck = { ok: true; version: string } | { ok: false; error: string };

/** For `openclaw doctor`: loads sqlite-vec into a throwaway in-memory database and reports its version. */
export function checkVec(ops: VecOps = defaultOps): VecCheck {
  const db = new Database(":memory:");
  try {
    loadVec(db, ops);
    const row = db.query("select vec_version() as version").get() as { version: string };
    return { ok: true, version: row.version };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    db.close();
  }
}
