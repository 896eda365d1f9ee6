import { afterEach, expect, test } from "bun:test";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../src/log.ts";
import { createRedactor, openLogFile, readLogTail, secretsOf } from "../../src/logs/index.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "oc-logs-"));
  dirs.push(d);
  return d;
};

test("the logger writes one JSON line per message to its file, private to the user", () => {
  const path = join(tempDir(), "logs", "gateway.log");
  const log = createLogger({ write: () => {}, file: openLogFile(path) });
  log.info("hello");
  log.debug("below the level: not in the file");
  log.warn("careful");
  log.flush();
  const lines = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  expect(lines.map((l) => [l.level, l.message])).toEqual([["info", "hello"], ["warn", "careful"]]);
  expect(Number.isNaN(Date.parse(lines[0].time))).toBe(false);
  expect(statSync(path).mode & 0o777).toBe(0o600);
});

test("the log file rotates by size and keeps five archives", () => {
  const path = join(tempDir(), "gateway.log");
  const file = openLogFile(path, { maxBytes: 100 });
  for (let i = 0; i < 10; i++) file.write(`${String(i).repeat(60)}\n`);
  expect(readFileSync(path, "utf8")).toBe(`${"9".repeat(60)}\n`);
  expect(readFileSync(`${path}.1`, "utf8")).toBe(`${"8".repeat(60)}\n`);
  expect(readFileSync(`${path}.5`, "utf8")).toBe(`${"4".repeat(60)}\n`);
  expect(existsSync(`${path}.6`)).toBe(false);
});

test("secrets from the config and env, and credential-shaped strings, never reach the log", () => {
  const path = join(tempDir(), "gateway.log");
  const config = { gateway: { auth: { token: "gw-token-abcdefghijklmnop" } }, models: { providers: { p: { apiKey: "plain-provider-key-123" } } } };
  const log = createLogger({ write: () => {}, file: openLogFile(path), redact: createRedactor(secretsOf(config, { TELEGRAM_BOT_TOKEN: "tg-secret-999" })) });
  log.info("token gw-token-abcdefghijklmnop key plain-provider-key-123 tg tg-secret-999");
  log.info("header Authorization: Bearer abc.def.ghi-jkl and sk-proj-ABCDEFGHIJKLMNOPQRST and 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
  log.info("url http://x/hook?token=hunter22&x=1");
  log.flush();
  const text = readFileSync(path, "utf8");
  for (const secret of ["gw-token-abcdefghijklmnop", "plain-provider-key-123", "tg-secret-999", "abc.def.ghi-jkl", "ABCDEFGHIJKLMNOPQRST", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "hunter22"]) {
    expect(text).not.toContain(secret);
  }
  expect(text).toContain("token gw-t***");
});

test("a tail returns the newest lines, and its cursor returns only what was written since", () => {
  const path = join(tempDir(), "gateway.log");
  writeFileSync(path, "one\ntwo\nthree\n");
  const first = readLogTail(path, { limit: 2 });
  expect(first).toMatchObject({ file: path, lines: ["two", "three"], size: 14, cursor: 14, truncated: true });
  appendFileSync(path, "four\nfive (half");
  const next = readLogTail(path, { cursor: first.cursor });
  expect(next.lines).toEqual(["four"]);
  appendFileSync(path, " done)\n");
  expect(readLogTail(path, { cursor: next.cursor }).lines).toEqual(["five (half done)"]);
});

test("a cursor past the end of a rotated file starts over with reset", () => {
  const path = join(tempDir(), "gateway.log");
  writeFileSync(path, "a long old line that was rotated away\n");
  const old = readLogTail(path);
  writeFileSync(path, "new\n");
  expect(readLogTail(path, { cursor: old.cursor })).toMatchObject({ lines: ["new"], reset: true });
});

test("a window that starts mid-line drops the partial first line", () => {
  const path = join(tempDir(), "gateway.log");
  writeFileSync(path, "0123456789\nabc\n");
  expect(readLogTail(path, { maxBytes: 8 }).lines).toEqual(["abc"]);
});

test("a log file that does not exist yet is an empty tail", () => {
  const path = join(tempDir(), "none.log");
  expect(readLogTail(path)).toEqual({ file: path, cursor: 0, size: 0, lines: [] });
});
