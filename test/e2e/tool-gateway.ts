import { readFileSync, writeFileSync } from "node:fs";
import { startFakeOpenAI, type FakeLlm, type FakeReply, type RecordedRequest } from "../fakes/llm/index.ts";
import { bootGateway, TOKEN, writeState } from "./helpers.ts";

export interface ToolGatewayOptions {
  /** Keys merged into the written config (`mcp`, `plugins`, `channels`…). */
  config?: Record<string, unknown>;
  /** A last change to the written config, for keys `writeState` fills itself (`models.providers`, `agents`). */
  edit?: (config: Record<string, any>) => void;
  /**
   * Decides the reply to a user turn; unset (or `undefined` back), a message `call <tool> <json args>` calls that
   * tool and anything else answers "plain answer".
   */
  onUser?: (request: RecordedRequest) => FakeReply | undefined;
}

/**
 * The scripted model of the tool tests: a tool's result comes back as `tool said: <result>` (with ` (+N image)` when
 * images followed it as a user message, as chat completions send them).
 */
export function toolEchoReply(request: RecordedRequest, onUser?: ToolGatewayOptions["onUser"]): FakeReply {
  const messages = request.body.messages;
  const tail = messages.at(-1);
  const images = Array.isArray(tail.content) ? tail.content.filter((p: { type: string }) => p.type === "image_url").length : 0;
  const last = images ? messages.at(-2) : tail;
  if (last.role === "tool") return { text: `tool said: ${last.content}${images ? ` (+${images} image)` : ""}` };
  const chosen = onUser?.(request);
  if (chosen) return chosen;
  const match = /call (\S+) ?(.*)$/.exec(String(last.content));
  if (match) return { toolCalls: [{ name: match[1]!, args: JSON.parse(match[2] || "{}") }] };
  return { text: "plain answer" };
}

/** The real gateway on a temp state dir with the tool-echo fake model and a WS client; `stop()` ends all three. */
export async function startToolGateway(options: ToolGatewayOptions = {}) {
  const llm: FakeLlm = startFakeOpenAI({ script: (request) => toolEchoReply(request, options.onUser) });
  const state = writeState(llm, { config: options.config });
  if (options.edit) {
    const written = JSON.parse(readFileSync(state.paths.configPath, "utf8"));
    options.edit(written);
    writeFileSync(state.paths.configPath, JSON.stringify(written));
  }
  const booted = await bootGateway(state);
  const url = booted.gateway.url;
  let stopped = false;
  return {
    llm,
    state,
    gateway: booted.gateway,
    client: booted.log.client,
    /** Every WS event the client saw (`log.of("session.tool")`). */
    log: booted.log,
    url,
    /** One chat completion, stateless unless `user` names a session; the model's answer text. */
    async chat(message: string, options: { model?: string; user?: string } = {}): Promise<string> {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ model: options.model ?? "openclaw", ...(options.user ? { user: options.user } : {}), messages: [{ role: "user", content: message }] }),
      });
      return ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
    },
    /** `POST /tools/invoke` with the gateway token. */
    invoke: (tool: string, args: Record<string, unknown> = {}) =>
      fetch(`${url}/tools/invoke`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ tool, args }) }),
    /** The tool names offered in the model's latest request (`at` counts back from the end). */
    offeredTools: (at = -1): string[] => (llm.requests.at(at)!.body.tools ?? []).map((t: { function: { name: string } }) => t.function.name),
    /** Ends the client, the gateway, the fake model and the state dir; a second call does nothing. */
    async stop() {
      if (stopped) return;
      stopped = true;
      booted.log.client.close();
      await booted.gateway.stop();
      await llm.stop();
      state.cleanup();
    },
  };
}

export type ToolGateway = Awaited<ReturnType<typeof startToolGateway>>;
