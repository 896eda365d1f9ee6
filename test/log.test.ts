import { expect, test } from "bun:test";
import { createLogger } from "../src/log.ts";

test("lines logged in one event-loop turn reach the output in one write, in order, with the time and level", async () => {
  const writes: string[] = [];
  const log = createLogger({ write: (text) => writes.push(text) });
  log.info("one");
  log.warn("two");
  log.debug("below the level: kept for logs.tail, not written");
  expect(writes).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(writes).toHaveLength(1);
  expect(writes[0]!.split("\n")).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d info  one$/), expect.stringMatching(/^\d\d:\d\d:\d\d warn  two$/)]);
  log.error("three");
  log.flush();
  expect(writes[1]).toMatch(/error three$/);
});

test("a line logged every event-loop turn is written at most once per 10 ms, every line kept in order", async () => {
  const writes: string[] = [];
  const log = createLogger({ write: (text) => writes.push(text) });
  const started = Date.now();
  for (let i = 0; i < 200; i++) {
    log.info(`line ${i}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const elapsed = Date.now() - started;
  log.flush();
  expect(writes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 10) + 2);
  expect(writes.join("\n").split("\n").map((l) => l.replace(/^.* info  /, ""))).toEqual(Array.from({ length: 200 }, (_, i) => `line ${i}`));
});

test("tail returns the newest lines oldest first once the ring has wrapped", () => {
  const log = createLogger({ level: "silent", keep: 3 });
  for (const m of ["a", "b", "c", "d", "e"]) log.info(m);
  expect(log.tail().map((l) => l.message)).toEqual(["c", "d", "e"]);
  expect(log.tail(2).map((l) => l.message)).toEqual(["d", "e"]);
});

test("a process that exits right after logging still writes the line", async () => {
  const proc = Bun.spawn([process.execPath, "-e", `const { createLogger } = await import(${JSON.stringify(`${import.meta.dir}/../src/log.ts`)}); createLogger().info("last words"); process.exit(3);`], { stderr: "pipe" });
  expect(await proc.exited).toBe(3);
  expect(await new Response(proc.stderr).text()).toMatch(/info  last words\n$/);
});
