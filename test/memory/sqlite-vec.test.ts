import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLoadablePath } from "sqlite-vec";
import { checkVec, loadVec, VecError, type VecOps } from "../../src/memory/sqlite-vec.ts";

const sourceOps: VecOps = { embeddedPath: undefined, nodeModulesPath: getLoadablePath, tmpdir };

function knnIds(db: Database): number[] {
  db.run("create virtual table items using vec0(embedding float[3])");
  const insert = db.prepare("insert into items(rowid, embedding) values (?, ?)");
  insert.run(1, JSON.stringify([1, 0, 0]));
  insert.run(2, JSON.stringify([0, 1, 0]));
  insert.run(3, JSON.stringify([0.9, 0.1, 0]));
  const rows = db
    .query("select rowid from items where embedding match ? order by distance limit 2")
    .all(JSON.stringify([1, 0, 0])) as { rowid: number }[];
  return rows.map((r) => r.rowid);
}

describe("loadVec from source", () => {
  test("an in-memory database reports vec_version after loading", () => {
    const db = new Database(":memory:");
    loadVec(db, sourceOps);
    const row = db.query("select vec_version() as v").get() as { v: string };
    expect(row.v).toMatch(/^v\d+\.\d+\.\d+/);
    db.close();
  });

  test("a vec0 table answers a nearest-neighbour query in distance order", () => {
    const db = new Database(":memory:");
    loadVec(db);
    expect(knnIds(db)).toEqual([1, 3]);
    db.close();
  });

  test("a missing node_modules library is a not_found error that says to run npm install", () => {
    const db = new Database(":memory:");
    const ops: VecOps = { ...sourceOps, nodeModulesPath: () => { throw new Error("Cannot find module"); } };
    let caught: unknown;
    try {
      loadVec(db, ops);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VecError);
    expect((caught as VecError).code).toBe("not_found");
    expect((caught as VecError).message).toContain("npm install");
    db.close();
  });
});

describe("loadVec from an embedded copy", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), "vec-test-"));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  function embeddedOps(): VecOps {
    // A copy of node_modules' library at a unique path stands in for the file under /$bunfs.
    const source = join(scratch, "embedded-vec0.so");
    copyFileSync(getLoadablePath(), source);
    mkdirSync(join(scratch, "tmp"));
    return { embeddedPath: source, nodeModulesPath: getLoadablePath, tmpdir: () => join(scratch, "tmp") };
  }

  test("the extracted copy and its private dir are deleted once loaded", () => {
    const ops = embeddedOps();
    const db = new Database(":memory:");
    loadVec(db, ops);
    expect(knnIds(db)).toEqual([1, 3]);
    expect(readdirSync(join(scratch, "tmp"))).toEqual([]);
    db.close();
  });

  test("a second database in the same process loads sqlite-vec without extracting again", () => {
    const base = embeddedOps();
    let extractions = 0;
    const ops: VecOps = { ...base, tmpdir: () => (extractions++, base.tmpdir()) };
    const first = new Database(":memory:");
    loadVec(first, ops);
    const second = new Database(":memory:");
    loadVec(second, ops);
    expect(knnIds(second)).toEqual([1, 3]);
    expect(extractions).toBe(1);
    first.close();
    second.close();
  });
});

describe("checkVec", () => {
  test("reports ok with the version when the library loads", () => {
    const result = checkVec(sourceOps);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.version).toMatch(/^v\d/);
  });

  test("reports the error message instead of throwing when the library is missing", () => {
    const result = checkVec({ ...sourceOps, nodeModulesPath: () => { throw new Error("gone"); } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain("sqlite-vec");
  });
});
