// models.probe (our own WS method) against the real gateway: a fake OpenAI-compatible server that answers
// /v1/models, and a provider on a closed port.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer } from "node:net";
import { writeFileSync } from "node:fs";
import { bootGateway, writeState } from "../e2e/helpers.ts";
import { startFakeOpenAI, type FakeLlm } from "../fakes/llm/index.ts";

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let llm: FakeLlm;
let state: ReturnType<typeof writeState>;
let deadUrl: string;
let booted: Awaited<ReturnType<typeof bootGateway>>;

beforeAll(async () => {
  llm = startFakeOpenAI({ models: ["fake-model"] });
  state = writeState(llm);
  deadUrl = `http://127.0.0.1:${await closedPort()}/v1`;
  const config = JSON.parse(await Bun.file(state.paths.configPath).text());
  // "dead" first in the config, so the primary-first order is the method's doing.
  config.models.providers = { dead: { api: "openai-completions", baseUrl: deadUrl, apiKey: "k", models: [{ id: "m" }] }, fake: llm.providerConfig() };
  writeFileSync(state.paths.configPath, JSON.stringify(config), { mode: 0o600 });
  booted = await bootGateway(state);
});

afterAll(async () => {
  booted?.log.client.close();
  await booted?.gateway.stop();
  await llm?.stop();
  state?.cleanup();
});

describe("models.probe", () => {
  test("a provider that answers /v1/models is reachable and a closed port is not, with the reason, primary first", async () => {
    const { providers } = await booted.log.client.request<{ providers: Array<{ id: string; api: string; baseUrl: string; ok: boolean; error?: string; primary: boolean }> }>("models.probe", {});
    const configured = providers.filter((p) => p.id === "fake" || p.id === "dead");
    expect(configured.map((p) => p.id)).toEqual(["fake", "dead"]);
    expect(providers[0]).toEqual({ id: "fake", api: "openai-completions", baseUrl: llm.url, ok: true, primary: true });
    const dead = configured[1]!;
    expect(dead.ok).toBe(false);
    expect(dead.primary).toBe(false);
    expect(dead.error).toBe(`connection refused at ${new URL(deadUrl).host} (ECONNREFUSED): is the server running?`);
  });
});
