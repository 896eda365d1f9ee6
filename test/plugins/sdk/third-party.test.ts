import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GatewayClient } from "../../../src/protocol/client.ts";
import { bootGateway, TOKEN, until, writeState } from "../../e2e/helpers.ts";
import { startFakeOpenAI, type FakeLlm } from "../../fakes/llm/index.ts";

const fixtures = join(import.meta.dir, "../../fixtures/plugins");

/** The tiny chat platform the sample plugin's channel talks to. */
function startTinyPlatform() {
  const inbox: { id: number; from: string; text: string }[] = [];
  const sent: { chatId: string; text: string }[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname === "/updates") return Response.json(inbox.filter((m) => m.id > Number(url.searchParams.get("after"))));
      if (url.pathname === "/send") return sent.push(await req.json()), new Response("ok");
      return new Response("not found", { status: 404 });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, inbox, sent, stop: () => server.stop(true) };
}

describe("third-party plugins loaded from disk", () => {
  let llm: FakeLlm;
  let tiny: ReturnType<typeof startTinyPlatform>;
  let state: ReturnType<typeof writeState>;
  let booted: Awaited<ReturnType<typeof bootGateway>>;
  let client: GatewayClient;

  beforeAll(async () => {
    llm = startFakeOpenAI({
      script: (request) => {
        const last = request.body.messages.at(-1);
        const text = JSON.stringify(request.body.messages);
        if (last.role === "tool") return { text: `tool said: ${last.content}` };
        if (text.includes("use my_tool")) return { toolCalls: [{ name: "my_tool", args: { input: "quick" } }] };
        if (text.includes("use echo")) return { toolCalls: [{ name: "sample_echo", args: { text: "ping" } }] };
        if (text.includes("tell the secret")) return { toolCalls: [{ name: "sample_secret", args: {} }] };
        return { text: "plain answer" };
      },
    });
    tiny = startTinyPlatform();
    const extensions = mkdtempSync(join(tmpdir(), "oc-plugins-"));
    cpSync(join(fixtures, "sample"), join(extensions, "sample"), { recursive: true });
    // A plugin folder anyone may write to is refused; the others load on.
    cpSync(join(fixtures, "sample"), join(extensions, "open-door"), { recursive: true });
    writeFileSync(join(extensions, "open-door", "openclaw.plugin.json"), JSON.stringify({ id: "open-door", configSchema: { type: "object" } }));
    chmodSync(join(extensions, "open-door"), 0o777);
    // A plugin that throws while registering is reported; the gateway runs without it.
    mkdirSync(join(extensions, "broken"));
    writeFileSync(join(extensions, "broken", "openclaw.plugin.json"), JSON.stringify({ id: "broken", configSchema: { type: "object" } }));
    writeFileSync(join(extensions, "broken", "index.ts"), 'export default { id: "broken", register() { throw new Error("no database here"); } };');
    state = writeState(llm, {
      config: {
        plugins: {
          load: { paths: [join(fixtures, "quickstart"), extensions] },
          entries: { sample: { config: { greeting: "hi", suffix: " (via sample)" } } },
        },
        channels: { tiny: { url: tiny.url, dmPolicy: "open", allowFrom: ["*"] } },

      },
    });
    // An agent on the sample plugin's own model protocol, next to the default one.
    const written = JSON.parse(readFileSync(state.paths.configPath, "utf8"));
    written.models.providers.echoer = { api: "sample-echo", baseUrl: "none", models: [{ id: "parrot" }] };
    written.agents.list = [{ id: "main", default: true }, { id: "echo", model: "echoer/parrot" }];
    writeFileSync(state.paths.configPath, JSON.stringify(written));
    booted = await bootGateway(state);
    client = booted.log.client;
  });

  afterAll(async () => {
    client?.close();
    await booted?.gateway.stop();
    tiny?.stop();
    await llm?.stop();
    state?.cleanup();
  });

  const chat = async (message: string) => {
    const res = await fetch(`${booted.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: message }] }),
    });
    return ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
  };

  test("OpenClaw's quickstart plugin loads unchanged and the model can call its tool", async () => {
    expect(await chat("please use my_tool")).toBe("tool said: Got: quick");
    const toolNames = llm.requests.at(-2)!.body.tools.map((t: { function: { name: string } }) => t.function.name);
    expect(toolNames).toContain("my_tool");
    const schema = llm.requests.at(-2)!.body.tools.find((t: { function: { name: string } }) => t.function.name === "my_tool").function.parameters;
    expect(schema).toMatchObject({ type: "object", properties: { input: { type: "string" } }, required: ["input"] });
  });

  test("a skill the plugin ships is listed in the system prompt", async () => {
    await chat("hello");
    const system = llm.requests.at(-1)!.body.messages.find((m: { role: string }) => m.role === "system").content as string;
    expect(system).toContain("sample-weather");
  });

  test("skills.status lists the plugin's skill with its plugin id", async () => {
    const report = (await client.request("skills.status", {})) as { skills: { name: string; source: string; pluginId?: string }[] };
    expect(report.skills.find((s) => s.name === "sample-weather")).toMatchObject({ source: "openclaw-extra", pluginId: "sample" });
  });

  test("a plugin tool gets its validated config", async () => {
    expect(await chat("use echo")).toBe("tool said: hi: ping");
  });

  test("a before_tool_call hook blocks a call and the model reads the plugin's reason", async () => {
    expect(await chat("tell the secret")).toBe("tool said: The sample plugin does not reveal secrets.");
  });

  test("plugin HTTP routes are served on the gateway port, behind the gateway token unless the route says otherwise", async () => {
    expect(await (await fetch(`${booted.gateway.url}/sample/hello`)).json()).toEqual({ hello: "hi" });
    expect((await fetch(`${booted.gateway.url}/sample/private`)).status).toBe(401);
    const ok = await fetch(`${booted.gateway.url}/sample/private`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await ok.text()).toBe("secret route");
  });

  test("a plugin WS method answers with its scope", async () => {
    expect(await client.request("sample.ping", { n: 41 })).toEqual({ pong: 42 });
  });

  test("a channel from a plugin receives a message and answers through message_sending", async () => {
    tiny.inbox.push({ id: 1, from: "u1", text: "hello tiny" });
    const reply = await until(() => tiny.sent.find((s) => s.chatId === "u1"), 5000, "a reply on the tiny platform");
    expect(reply.text).toBe("plain answer (via sample)");
  });

  test("a model protocol from a plugin serves an agent whose model names it", async () => {
    const res = await fetch(`${booted.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw/echo", messages: [{ role: "user", content: "say this" }] }),
    });
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe("echo(parrot): say this");
  });

  test("a plugin service starts with the gateway", async () => {
    expect(await Bun.file(join(state.stateDir, "plugins", "sample", "service.txt")).text()).toBe("started");
  });

  test("plugins.list reports what each plugin registered, and why the refused and broken ones did not load", async () => {
    const { plugins } = (await client.request("plugins.list", {})) as { plugins: { id: string; status: string; reason?: string; registered: Record<string, string[]> }[] };
    const byId = Object.fromEntries(plugins.map((p) => [p.id, p]));
    expect(byId.sample!.status).toBe("loaded");
    expect(byId.sample!.registered).toMatchObject({ tools: ["sample_echo", "sample_secret"], hooks: ["before_tool_call", "message_sending"], channels: ["tiny"], methods: ["sample.ping"], cli: ["sample"] });
    expect(byId["my-plugin"]!.registered.tools).toEqual(["my_tool"]);
    expect(byId.broken).toMatchObject({ status: "error" });
    expect(byId.broken!.reason).toContain("no database here");
    const refused = plugins.find((p) => p.reason?.includes("world-writable"));
    expect(refused?.status).toBe("error");
    expect(byId.telegram).toMatchObject({ status: "idle" });
  });
});
