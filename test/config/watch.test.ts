import { afterEach, expect, test } from "bun:test";
import { renameSync, writeFileSync } from "node:fs";
import { ConfigError, loadConfig, writeConfig, type LoadedConfig } from "../../src/config/index.ts";
import { diffConfig, watchConfig } from "../../src/config/watch.ts";
import { tempDir, waitFor } from "./helpers.ts";

let tmp: ReturnType<typeof tempDir>;
let watcher: { close(): void } | undefined;
afterEach(() => {
  watcher?.close();
  watcher = undefined;
  tmp?.cleanup();
});

function watch(file: string) {
  const changes: { next: LoadedConfig; changed: string[] }[] = [];
  const errors: ConfigError[] = [];
  watcher = watchConfig(
    { path: file, env: {}, debounceMs: 20, onChange: (next, changed) => changes.push({ next, changed }), onError: (e) => errors.push(e) },
    loadConfig(file, { env: {} }).config,
  );
  return { changes, errors };
}

test("a valid change calls onChange with the changed key paths", async () => {
  tmp = tempDir();
  const file = tmp.write("openclaw.json", { gateway: { port: 1000, bind: "loopback" }, cron: { enabled: true } });
  const { changes, errors } = watch(file);
  writeFileSync(file, JSON.stringify({ gateway: { port: 2000, bind: "loopback" }, cron: { enabled: true } }));
  await waitFor(() => changes.length > 0, 3000, "onChange");
  expect(changes[0]!.changed).toEqual(["gateway.port"]);
  expect(changes[0]!.next.config.gateway?.port).toBe(2000);
  expect(errors).toEqual([]);
});

test("an atomic rename-write (as writeConfig does) is seen", async () => {
  tmp = tempDir();
  const file = tmp.write("openclaw.json", { gateway: { port: 1000 } });
  const { changes } = watch(file);
  writeConfig(file, { gateway: { port: 1001 } }, { env: {} });
  await waitFor(() => changes.length > 0, 3000, "onChange");
  expect(changes[0]!.changed).toEqual(["gateway.port"]);
});

test("an invalid change calls onError and a later valid change still calls onChange", async () => {
  tmp = tempDir();
  const file = tmp.write("openclaw.json", { gateway: { port: 1000 } });
  const { changes, errors } = watch(file);
  writeFileSync(file, JSON.stringify({ gateway: { port: "nope" } }));
  await waitFor(() => errors.length > 0, 3000, "onError");
  expect(errors[0]!.code).toBe("invalid");
  expect(errors[0]!.message).toContain("gateway.port");
  expect(changes).toEqual([]);

  writeFileSync(file, JSON.stringify({ gateway: { port: 1500 } }));
  await waitFor(() => changes.length > 0, 3000, "onChange after an invalid edit");
  expect(changes[0]!.changed).toEqual(["gateway.port"]);
});

test("a file that is not JSON5 calls onError with code parse", async () => {
  tmp = tempDir();
  const file = tmp.write("openclaw.json", { gateway: { port: 1000 } });
  const { errors } = watch(file);
  writeFileSync(file, "{ gateway: ");
  await waitFor(() => errors.length > 0, 3000, "onError");
  expect(errors[0]!.code).toBe("parse");
});

test("other files in the directory do not trigger a reload", async () => {
  tmp = tempDir();
  const file = tmp.write("openclaw.json", { gateway: { port: 1000 } });
  const { changes, errors } = watch(file);
  tmp.write("other.json", "not json at all");
  tmp.write("openclaw.json.bak", "{}");
  // A marker change to the real file proves the watcher was live while the others were written.
  writeFileSync(tmp.path("x.tmp"), JSON.stringify({ gateway: { port: 1001 } }));
  renameSync(tmp.path("x.tmp"), file);
  await waitFor(() => changes.length > 0, 3000, "onChange");
  expect(changes).toHaveLength(1);
  expect(errors).toEqual([]);
});

test("rewriting identical content does not call onChange", async () => {
  tmp = tempDir();
  const body = JSON.stringify({ gateway: { port: 1000 } });
  const file = tmp.write("openclaw.json", body);
  const { changes } = watch(file);
  writeFileSync(file, body);
  writeFileSync(file, JSON.stringify({ gateway: { port: 1000 }, cron: { enabled: false } }));
  await waitFor(() => changes.length > 0, 3000, "onChange");
  expect(changes).toHaveLength(1);
  expect(changes[0]!.changed).toEqual(["cron"]);
});

test("diffConfig reports paths two levels deep", () => {
  expect(diffConfig({ gateway: { port: 1, auth: { token: "a" } } }, { gateway: { port: 1, auth: { token: "b" } }, cron: {} }).sort()).toEqual(["cron", "gateway.auth"]);
});
