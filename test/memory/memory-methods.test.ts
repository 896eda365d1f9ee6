import { afterEach, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectGateway, GatewayClientError } from "../../src/protocol/client.ts";
import { startTestGateway, TOKEN, type TestGateway } from "../gateway/helpers.ts";

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function setup(extra: Record<string, unknown> = {}) {
  const gw: TestGateway = await startTestGateway({ config: { gateway: { auth: { mode: "token", token: TOKEN } }, ...extra } });
  closers.push(() => gw.stop());
  const workspace = join(gw.stateDir, "workspace");
  mkdirSync(join(workspace, "memory"), { recursive: true });
  writeFileSync(join(workspace, "memory", "2026-11-30.md"), "# 2026-11-30\nThe dentist appointment is on Friday at 3pm.\n");
  const client = await connectGateway({ url: gw.wsUrl, token: TOKEN, timeoutMs: 5000 });
  closers.push(() => client.close());
  return { gw, client, workspace };
}

test("the Control UI's memory methods search, read and show status over WS", async () => {
  const { client } = await setup();
  const found = await client.request<{ mode: string; results: { path: string; startLine: number }[] }>("memory.search", { query: "dentist" });
  expect(found).toMatchObject({ mode: "keyword", results: [{ path: "memory/2026-11-30.md", startLine: 1 }] });
  const got = await client.request<{ text: string }>("memory.get", { path: "memory/2026-11-30.md", from: 2, lines: 1 });
  expect(got.text).toBe("The dentist appointment is on Friday at 3pm.");
  expect(await client.request("memory.status")).toMatchObject({ files: 1, chunks: 1, mode: "keyword" });
  expect(await client.request("memory.history", { path: "memory/2026-11-30.md" })).toMatchObject({ versions: [{ version: 1, reason: "indexed" }] });
});

test("memory.get refuses a path that is not a memory file", async () => {
  const { client } = await setup();
  const error = await client.request("memory.get", { path: "AGENTS.md" }).catch((e: GatewayClientError) => e);
  expect(error).toBeInstanceOf(GatewayClientError);
  expect((error as GatewayClientError).message).toContain("is not a memory file");
});

test("memory methods answer UNAVAILABLE when memory is disabled", async () => {
  const { client } = await setup({ memory: { search: { enabled: false } } });
  const error = (await client.request("memory.search", { query: "dentist" }).catch((e) => e)) as GatewayClientError;
  expect(error.code).toBe("UNAVAILABLE");
  expect(error.message).toContain("memory.search.enabled is false");
});

test("memory.files lists the notes with chunks and versions, and a deleted note that can be restored", async () => {
  const { client, workspace } = await setup();
  writeFileSync(join(workspace, "MEMORY.md"), "# Me\nLikes tea.\n");
  const first = await client.request<{ files: { path: string; chunks: number; versions: number; deleted: boolean }[] }>("memory.files");
  expect(first.files).toEqual([
    expect.objectContaining({ path: "MEMORY.md", chunks: 1, versions: 1, deleted: false }),
    expect.objectContaining({ path: "memory/2026-11-30.md", chunks: 1, versions: 1, deleted: false }),
  ]);
  rmSync(join(workspace, "MEMORY.md"));
  // The gateway's watcher sees the deletion after its debounce.
  let files: { path: string; versions: number; deleted: boolean }[] = [];
  for (let i = 0; i < 80 && !files[0]?.deleted; i++) {
    await Bun.sleep(50);
    files = (await client.request<{ files: typeof files }>("memory.files")).files;
  }
  expect(files[0]).toMatchObject({ path: "MEMORY.md", versions: 2, deleted: true });
});
