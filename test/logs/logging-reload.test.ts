// logging.file, logging.maxFileBytes and logging.level changed in a running gateway's config apply at once (hot
// reload), without a restart: the next lines go to the new file, rotate at the new size, at the new level.
import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runGatewayRun } from "../../src/cli/gateway.ts";
import { readLiveLock } from "../../src/gateway/lock.ts";
import { cliEnv } from "../cli/helpers.ts";
import { waitFor } from "../config/helpers.ts";

const TOKEN = "logs-reload-token-0123456789";
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

test("a hot-reloaded logging.file and maxFileBytes move and rotate the log of the running gateway", async () => {
  const t = cliEnv();
  cleanups.push(t.cleanup);
  mkdirSync(t.stateDir, { recursive: true });
  const write = (logging: Record<string, unknown>) =>
    writeFileSync(t.configPath, JSON.stringify({ gateway: { auth: { mode: "token", token: TOKEN }, reload: { debounceMs: 20 } }, logging }), { mode: 0o600 });
  write({});
  const controller = new AbortController();
  const done = runGatewayRun({ port: 0 }, t.io().io, controller.signal);
  cleanups.push(() => (controller.abort(), done));
  await waitFor(() => readLiveLock(t.stateDir), 10_000, "the gateway lock");
  const first = join(t.stateDir, "logs", "gateway.log");
  const moved = join(t.stateDir, "logs", "moved.log");
  await waitFor(() => readFileSync(first, "utf8").includes("gateway listening on"), 5000, "the first log line");

  write({ file: "logs/moved.log" });
  await waitFor(() => existsSync(moved) && readFileSync(moved, "utf8").includes("log file is now"), 5000, "lines in the new file");
  expect(readFileSync(first, "utf8")).toContain(`the log continues in ${moved}`);

  // A tiny limit: the next reloads' lines rotate the new file into moved.log.1.
  write({ file: "logs/moved.log", maxFileBytes: 150 });
  await Bun.sleep(300); // apart, or the two writes make one reload
  write({ file: "logs/moved.log", maxFileBytes: 150, level: "info" });
  await waitFor(() => existsSync(`${moved}.1`), 5000, "moved.log rotated at the new maxFileBytes");

  // A level of error: info lines stop.
  write({ file: "logs/moved.log", maxFileBytes: 100_000, level: "error" });
  // Its reload line is still written at info (the level changes right after it); a fixed wait was too short under load.
  await waitFor(() => readFileSync(moved, "utf8").includes("config reloaded (logging.level, logging.maxFileBytes)"), 5000, "the reload to level error");
  await Bun.sleep(100);
  const before = readFileSync(moved, "utf8");
  write({ file: "logs/moved.log", maxFileBytes: 99_999, level: "error" });
  await Bun.sleep(400);
  expect(readFileSync(moved, "utf8")).toBe(before);
}, 30_000);

test("a logger given a new redactor masks the new config's secrets from the next line on", async () => {
  const { createLogger } = await import("../../src/log.ts");
  const { createRedactor } = await import("../../src/logs/index.ts");
  const lines: string[] = [];
  const log = createLogger({ write: (t) => void lines.push(t), redact: createRedactor(["old-secret-123456"]) });
  log.setRedact(createRedactor(["new-secret-654321"]));
  log.info("token new-secret-654321 set");
  log.flush();
  expect(lines.join("\n")).not.toContain("new-secret-654321");
});
