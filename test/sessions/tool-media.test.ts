import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChatMessage } from "../../src/agent/types.ts";
import { createSessionStore } from "../../src/sessions/index.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "tool-media-"));
  dirs.push(dir);
  return dir;
};

const IMAGE = Buffer.alloc(200_000, 7).toString("base64");
const toolMessage: Extract<ChatMessage, { role: "tool" }> = { role: "tool", toolCallId: "call_1", toolName: "snap", content: "a picture", images: [{ mediaType: "image/png", data: IMAGE }] };

function writeTwice(dir: string) {
  const store = createSessionStore({ path: join(dir, "state.db") });
  const session = store.ensure({ key: "agent:main:main", agentId: "main" });
  store.appendMessage({ sessionKey: session.key, sessionId: session.sessionId, message: { role: "user", content: "look" } });
  store.appendMessage({ sessionKey: session.key, sessionId: session.sessionId, message: toolMessage });
  store.appendMessage({ sessionKey: session.key, sessionId: session.sessionId, message: { ...toolMessage, toolCallId: "call_2" } });
  return store;
}

test("a tool image is kept as a file reference in the transcript row, one file for the same bytes", () => {
  const dir = tempDir();
  const store = writeTwice(dir);
  const rows = store.db.query<{ data: string }, []>("SELECT data FROM entries WHERE role = 'tool'").all();
  expect(rows).toHaveLength(2);
  for (const row of rows) {
    expect(row.data.length).toBeLessThan(400);
    expect(JSON.parse(row.data).images).toEqual([{ mediaType: "image/png", file: expect.stringMatching(/^[0-9a-f]{64}\.png$/), bytes: 200_000 }]);
  }
  expect(readdirSync(join(dir, "media", "tool"))).toHaveLength(1);
  store.close();
});

test("a later read of the transcript gives the model the tool image's bytes again", () => {
  const dir = tempDir();
  writeTwice(dir).close();
  const store = createSessionStore({ path: join(dir, "state.db") });
  const tools = store.history("agent:main:main").map((h) => h.message).filter((m) => m.role === "tool");
  expect(tools[0]).toEqual(toolMessage);
  store.close();
});

test("a tool image whose file was removed leaves a note in the text instead", () => {
  const dir = tempDir();
  writeTwice(dir).close();
  rmSync(join(dir, "media"), { recursive: true });
  const store = createSessionStore({ path: join(dir, "state.db") });
  const tool = store.history("agent:main:main").map((h) => h.message).find((m) => m.role === "tool")!;
  expect(tool.content).toMatch(/^a picture\n\[image\/png image from the tool is no longer stored \(media\/tool\/[0-9a-f]{64}\.png\)\]$/);
  expect("images" in tool && tool.images).toBeFalsy();
  store.close();
});

test("an in-memory store keeps tool images inline and writes no files", () => {
  const store = createSessionStore({});
  const session = store.ensure({ key: "k", agentId: "main" });
  store.appendMessage({ sessionKey: "k", sessionId: session.sessionId, message: toolMessage });
  const row = store.db.query<{ data: string }, []>("SELECT data FROM entries").get()!;
  expect(JSON.parse(row.data).images[0].data).toBe(IMAGE);
  expect(existsSync(join(process.cwd(), "media", "tool"))).toBe(false);
  store.close();
});
