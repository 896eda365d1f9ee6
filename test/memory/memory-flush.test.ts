import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChatMessage } from "../../src/agent/types.ts";
import { createAgentService } from "../../src/agent/service.ts";
import type { Config } from "../../src/config/schema.ts";
import { createLogger } from "../../src/log.ts";
import { startFakeOpenAI, type FakeLlm, type RecordedRequest } from "../fakes/llm/index.ts";

const fakes: FakeLlm[] = [];
const services: ReturnType<typeof createAgentService>[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) s.stop();
  await Promise.all(fakes.splice(0).map((f) => f.stop()));
});

const today = new Date().toISOString().slice(0, 10);
const older: ChatMessage[] = [
  { role: "user", content: "My cat is called Miso, remember that." },
  { role: "assistant", content: "Noted: your cat is Miso." },
] as ChatMessage[];

function setup(extra: Config = {}) {
  const isFlush = (r: RecordedRequest) => JSON.stringify(r.body).includes("Pre-compaction memory flush");
  const fake = startFakeOpenAI({
    script: (request) => {
      if (!isFlush(request)) return { text: "Summary: the user's cat is Miso." };
      const answered = request.body.messages.some((m: { role: string }) => m.role === "tool");
      return answered ? { text: "NO_REPLY" } : { toolCalls: [{ name: "write", args: { path: `memory/${today}.md`, content: "- The user's cat is called Miso.\n" } }] };
    },
  });
  fakes.push(fake);
  const root = mkdtempSync(join(tmpdir(), "memory-flush-"));
  process.on("exit", () => rmSync(root, { recursive: true, force: true }));
  const workspace = join(root, "ws");
  mkdirSync(join(workspace, "memory"), { recursive: true });
  const config: Config = { ...extra, models: { providers: { p0: fake.providerConfig() } }, agents: { defaults: { ...extra.agents?.defaults, model: { primary: "p0/fake-model" }, workspace } } };
  const paths = { stateDir: join(root, "state"), configPath: join(root, "openclaw.json"), workspaceDefault: workspace, defaultPort: 0 };
  const service = createAgentService({ config: () => config, env: {}, paths, log: createLogger({ level: "silent" }), message: async () => ({ channel: "x", to: "y", messageId: "z" }) });
  services.push(service);
  return { fake, workspace, service, isFlush };
}

test("before an automatic compaction a silent turn writes what must last into today's note", async () => {
  const { fake, workspace, service, isFlush } = setup();
  const summary = await service.compaction.summarise(older, new AbortController().signal, { agentId: "main", sessionKey: "agent:main:main" });
  expect(summary).toBe("Summary: the user's cat is Miso.");
  expect(readFileSync(join(workspace, "memory", `${today}.md`), "utf8")).toContain("Miso");
  expect(fake.requests.map(isFlush)).toEqual([true, true, false]);
  expect(JSON.stringify(fake.requests[0]!.body)).toContain("My cat is called Miso");
});

test("compaction.memoryFlush.enabled false skips the flush", async () => {
  const { fake, workspace, service } = setup({ agents: { defaults: { compaction: { memoryFlush: { enabled: false } } } } });
  await service.compaction.summarise(older, new AbortController().signal, { agentId: "main" });
  expect(fake.requests).toHaveLength(1);
  expect(existsSync(join(workspace, "memory", `${today}.md`))).toBe(false);
});

test("a /compact summary (no agent turn being compacted) runs no flush", async () => {
  const { fake, service } = setup();
  await service.compaction.summarise(older, new AbortController().signal, { instructions: "keep names" });
  expect(fake.requests).toHaveLength(1);
});
