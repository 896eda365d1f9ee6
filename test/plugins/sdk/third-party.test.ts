import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TOKEN, until } from "../../e2e/helpers.ts";
import { startToolGateway, type ToolGateway } from "../../e2e/tool-gateway.ts";

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
  let tiny: ReturnType<typeof startTinyPlatform>;
  let gw: ToolGateway;
  let extensions: string;
  const chat = (message: string) => gw.chat(message);

  beforeAll(async () => {
    tiny = startTinyPlatform();
    extensions = mkdtempSync(join(tmpdir(), "oc-plugins-"));
    cpSync(join(fixtures, "sample"), join(extensions, "sample"), { recursive: true });
    // A plugin folder anyone may write to is refused; the others load on.
    cpSync(join(fixtures, "sample"), join(extensions, "open-door"), { recursive: true });
    writeFileSync(join(extensions, "open-door", "openclaw.plugin.json"), JSON.stringify({ id: "open-door", configSchema: { type: "object" } }));
    chmodSync(join(extensions, "open-door"), 0o777);
    // A plugin that throws while registering is reported; the gateway runs without it.
    mkdirSync(join(extensions, "broken"));
    writeFileSync(join(extensions, "broken", "openclaw.plugin.json"), JSON.stringify({ id: "broken", configSchema: { type: "object" } }));
    writeFileSync(join(extensions, "broken", "index.ts"), 'export default { id: "broken", register() { throw new Error("no database here"); } };');
    gw = await startToolGateway({
      onUser(request) {
        const text = JSON.stringify(request.body.messages);
        if (text.includes("use my_tool")) return { toolCalls: [{ name: "my_tool", args: { input: "quick" } }] };
        if (text.includes("use echo")) return { toolCalls: [{ name: "sample_echo", args: { text: "ping" } }] };
        if (text.includes("tell the secret")) return { toolCalls: [{ name: "sample_secret", args: {} }] };
        return undefined;
      },
      config: {
        plugins: {
          load: { paths: [join(fixtures, "quickstart"), extensions] },
          entries: { sample: { config: { greeting: "hi", suffix: " (via sample)" } } },
        },
        channels: { tiny: { url: tiny.url, dmPolicy: "open", allowFrom: ["*"] } },
      },
      // An agent on the sample plugin's own model protocol, next to the default one.
      edit(written) {
        written.models.providers.echoer = { api: "sample-echo", baseUrl: "none", models: [{ id: "parrot" }] };
        written.agents.list = [{ id: "main", default: true }, { id: "echo", model: "echoer/parrot" }];
      },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    tiny?.stop();
    if (extensions) rmSync(extensions, { recursive: true, force: true });
  });

  test("OpenClaw's quickstart plugin loads unchanged and the model can call its tool", async () => {
    expect(await chat("please use my_tool")).toBe("tool said: Got: quick");
    const toolNames = gw.offeredTools(-2);
    expect(toolNames).toContain("my_tool");
    const schema = gw.llm.requests.at(-2)!.body.tools.find((t: { function: { name: string } }) => t.function.name === "my_tool").function.parameters;
    expect(schema).toMatchObject({ type: "object", properties: { input: { type: "string" } }, required: ["input"] });
  });

  test("a skill the plugin ships is listed in the system prompt", async () => {
    await chat("hello");
    const system = gw.llm.requests.at(-1)!.body.messages.find((m: { role: string }) => m.role === "system").content as string;
    expect(system).toContain("sample-weather");
  });

  test("skills.status lists the plugin's skill with its plugin id", async () => {
    const report = (await gw.client.request("skills.status", {})) as { skills: { name: string; source: string; pluginId?: string }[] };
    expect(report.skills.find((s) => s.name === "sample-weather")).toMatchObject({ source: "openclaw-extra", pluginId: "sample" });
  });

  test("a plugin tool gets its validated config", async () => {
    expect(await chat("use echo")).toBe("tool said: hi: ping");
  });

  test("a before_tool_call hook blocks a call and the model reads the plugin's reason", async () => {
    expect(await chat("tell the secret")).toBe("tool said: The sample plugin does not reveal secrets.");
  });

  test("plugin HTTP routes are served on the gateway port, behind the gateway token unless the route says otherwise", async () => {
    expect(await (await fetch(`${gw.url}/sample/hello`)).json()).toEqual({ hello: "hi" });
    expect((await fetch(`${gw.url}/sample/private`)).status).toBe(401);
    const ok = await fetch(`${gw.url}/sample/private`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await ok.text()).toBe("secret route");
  });

  test("a plugin WS method answers with its scope", async () => {
    expect(await gw.client.request("sample.ping", { n: 41 })).toEqual({ pong: 42 });
  });

  test("a channel from a plugin receives a message and answers through message_sending", async () => {
    tiny.inbox.push({ id: 1, from: "u1", text: "hello tiny" });
    const reply = await until(() => tiny.sent.find((s) => s.chatId === "u1"), 5000, "a reply on the tiny platform");
    expect(reply.text).toBe("plain answer (via sample)");
  });

  test("a model protocol from a plugin serves an agent whose model names it", async () => {
    expect(await gw.chat("say this", { model: "openclaw/echo" })).toBe("echo(parrot): say this");
  });

  test("a plugin service starts with the gateway", async () => {
    expect(await Bun.file(join(gw.state.stateDir, "plugins", "sample", "service.txt")).text()).toBe("started");
  });

  test("plugins.list reports what each plugin registered, and why the refused and broken ones did not load", async () => {
    const { plugins } = (await gw.client.request("plugins.list", {})) as { plugins: { id: string; status: string; reason?: string; registered: Record<string, string[]> }[] };
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
