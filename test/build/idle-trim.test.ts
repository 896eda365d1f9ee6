// The idle trim in the compiled binary (src/gateway/idle-trim.ts): the start-up pages of the executable go back to
// the kernel once the gateway is quiet, and what a chat needs afterwards is read again from the file. The binary is
// a private copy: pages another process maps (the suite's other gateways run the shared build) are never paged out.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeOpenAI } from "../fakes/llm/index.ts";
import { isolatedEnv, sharedBinary, startGateway, type BuiltBinary } from "./harness.ts";

let binary: BuiltBinary;
let dir: string;
const fake = startFakeOpenAI({ text: "after the trim", record: false });

beforeAll(async () => {
  binary = await sharedBinary();
  dir = mkdtempSync(join(tmpdir(), "openclaw-trim-"));
}, 240_000);

afterAll(() => {
  fake.stop();
  binary?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const fileRssKb = (pid: number) => Number(/^RssFile:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);

async function gatewayWith(env: Record<string, string>) {
  writeFileSync(
    join(env.OPENCLAW_STATE_DIR!, "openclaw.json"),
    JSON.stringify({ logging: { level: "debug" }, gateway: { auth: { mode: "token", token: "t" } }, models: { providers: { fake: fake.providerConfig() } }, agents: { defaults: { model: "fake/fake-model" } } }),
  );
  return startGateway(join(dir, "openclaw"), env, dir, { sandbox: false });
}

async function waitFor(check: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await Bun.sleep(50);
  return check();
}

test.if(process.platform === "linux")("a quiet gateway hands its start-up pages back and still answers a chat afterwards", async () => {
  copyFileSync(binary.path, join(dir, "openclaw"));
  const gateway = await gatewayWith(isolatedEnv(join(dir, "on")));
  try {
    const atReady = fileRssKb(gateway.pid);
    expect(await waitFor(() => gateway.output().includes("idle trim:"), 10_000)).toBe(true);
    const line = gateway.output().split("\n").find((l) => l.includes("idle trim:"))!;
    expect(line).toMatch(/\d+ mappings of .*openclaw, 0 refused, [\d.]+ MB of file-backed pages released/);
    expect(fileRssKb(gateway.pid)).toBeLessThan(atReady);
    const res = await fetch(`http://127.0.0.1:${gateway.port}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }], user: "u1" }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe("after the trim");
  } finally {
    await gateway.stop();
  }
}, 60_000);

test.if(process.platform === "linux")("OPENCLAW_IDLE_TRIM=0 keeps the pages", async () => {
  copyFileSync(binary.path, join(dir, "openclaw"));
  const gateway = await gatewayWith({ ...isolatedEnv(join(dir, "off")), OPENCLAW_IDLE_TRIM: "0" });
  try {
    await Bun.sleep(3000);
    expect(gateway.output()).not.toContain("idle trim");
  } finally {
    await gateway.stop();
  }
}, 60_000);
