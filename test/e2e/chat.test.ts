import { afterEach, describe, expect, test } from "bun:test";
import { startE2e, requestTexts, until, type E2e } from "./helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const MAIN = "agent:main:main";
const send = (params: Record<string, unknown>) => e2e!.log.client.request<{ runId: string; status: string; command?: string }>("chat.send", params);
const wait = (runId: string) => e2e!.log.client.request<{ status: string; text?: string; error?: { code: string } }>("agent.wait", { runId, timeoutMs: 10_000 });
const history = (sessionKey = MAIN) => e2e!.log.client.request<{ sessionId: string; messages: Array<Record<string, any>> }>("chat.history", { sessionKey });
/** When the run's first delta and its end arrived, as indexes into the event log. */
const span = (runId: string) => {
  const at = (pred: (p: any) => boolean) => e2e!.log.events.findIndex((f) => f.event === "chat" && ((f.payload as any).runId === runId || (f.payload as any).runIds?.includes(runId)) && pred(f.payload));
  return { first: at((p) => p.state === "delta"), end: at((p) => p.state !== "delta") };
};

describe("chat.send over the wired gateway", () => {
  test("chat.send acknowledges at once with a runId, then streams deltas, tool events and a final, and chat.history holds the turn in order", async () => {
    e2e = await startE2e({ llm: { delayMs: 20, script: [{ toolCalls: [{ name: "read", args: { path: "AGENTS.md" } }] }, { text: "The file says be brief." }] } });
    const ack = await send({ sessionKey: MAIN, message: "what does AGENTS.md say?" });
    expect(ack.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ack.status).toBe("started");
    expect(e2e.log.of("chat", ack.runId)).toEqual([]); // the answer had not started when the ack came

    const final = await e2e.log.end(ack.runId);
    expect(final.state).toBe("final");
    expect(final.text).toBe("The file says be brief.");
    const deltas = e2e.log.of("chat", ack.runId).filter((p) => p.state === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.deltaText).join("")).toBe("The file says be brief.");
    expect(e2e.log.of("chat", ack.runId).map((p) => p.seq)).toEqual(deltas.map((_, i) => i + 1).concat(deltas.length + 1));

    const tools = e2e.log.of("session.tool", ack.runId);
    expect(tools.map((t) => [t.phase, t.name])).toEqual([["start", "read"], ["result", "read"]]);
    expect(tools[1]!.isError).toBe(false);
    expect(String(tools[1]!.result)).toContain("Be brief.");

    const { messages } = await history();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(messages[0]!.content).toBe("what does AGENTS.md say?");
    expect(messages[1]!.toolCalls).toEqual([expect.objectContaining({ name: "read", args: { path: "AGENTS.md" } })]);
    expect(messages[2]!.content).toContain("Be brief.");
    expect(messages[3]!.content).toBe("The file says be brief.");
  });

  test("two messages to one session run one at a time", async () => {
    e2e = await startE2e({ llm: { delayMs: 25, script: [{ text: "first answer here" }, { text: "second answer here" }] } });
    const a = await send({ sessionKey: MAIN, message: "one" });
    const b = await send({ sessionKey: MAIN, message: "two" });
    expect((await e2e.log.end(b.runId)).text).toBe("second answer here");
    expect(span(a.runId).end).toBeLessThan(span(b.runId).first);
    // The second request saw the first turn complete.
    expect(requestTexts(e2e.llm.requests[1]!).slice(-3)).toEqual(["one", "first answer here", "two"]);
  });

  test("two sessions run in parallel", async () => {
    e2e = await startE2e({ llm: { delayMs: 25, text: "a slow answer of several words" } });
    const a = await send({ sessionKey: "agent:main:alpha", message: "one" });
    const b = await send({ sessionKey: "agent:main:beta", message: "two" });
    await e2e.log.end(a.runId);
    await e2e.log.end(b.runId);
    expect(span(b.runId).first).toBeLessThan(span(a.runId).end);
    expect(span(a.runId).first).toBeLessThan(span(b.runId).end);
  });
});

describe("queue modes through chat.send", () => {
  test("collect answers the messages that arrived during a turn together, in one next turn", async () => {
    e2e = await startE2e({ llm: { delayMs: 25, script: [{ text: "answer to the first message" }, { text: "one answer to both" }] } });
    const a = await send({ sessionKey: MAIN, message: "first" });
    await until(() => e2e!.log.of("chat", a.runId).length > 0, 5000, "the first delta");
    const b = await send({ sessionKey: MAIN, message: "second", queueMode: "collect" });
    const c = await send({ sessionKey: MAIN, message: "third", queueMode: "collect" });
    expect((await wait(b.runId)).text).toBe("one answer to both");
    expect((await wait(c.runId)).text).toBe("one answer to both");
    expect(e2e.llm.requests).toHaveLength(2);
    expect(requestTexts(e2e.llm.requests[1]!, "user").slice(-2)).toEqual(["second", "third"]);
    const final = e2e.log.of("chat", c.runId).find((p) => p.state === "final")!;
    expect(final.runIds).toEqual([b.runId, c.runId]);
  });

  test("followup gives each waiting message a turn of its own", async () => {
    e2e = await startE2e({ llm: { delayMs: 25, script: [{ text: "answer one" }, { text: "answer two" }, { text: "answer three" }] } });
    const a = await send({ sessionKey: MAIN, message: "one" });
    await until(() => e2e!.log.of("chat", a.runId).length > 0, 5000, "the first delta");
    const b = await send({ sessionKey: MAIN, message: "two", queueMode: "followup" });
    const c = await send({ sessionKey: MAIN, message: "three", queueMode: "followup" });
    expect([(await wait(a.runId)).text, (await wait(b.runId)).text, (await wait(c.runId)).text]).toEqual(["answer one", "answer two", "answer three"]);
    expect(e2e.llm.requests).toHaveLength(3);
    expect(requestTexts(e2e.llm.requests[2]!, "user")).toEqual(["one", "two", "three"]);
  });

  test("steer hands the message to the running turn at its next tool boundary", async () => {
    e2e = await startE2e({
      llm: { delayMs: 40, script: [{ toolCalls: [{ name: "read", args: { path: "AGENTS.md" } }] }, { text: "read it, and noted your correction" }] },
    });
    const a = await send({ sessionKey: MAIN, message: "read AGENTS.md" });
    await until(() => e2e!.llm.requests.length === 1, 5000, "the first model request");
    const b = await send({ sessionKey: MAIN, message: "actually, also be polite", queueMode: "steer" });
    expect((await wait(a.runId)).text).toBe("read it, and noted your correction");
    expect((await wait(b.runId)).text).toBe("read it, and noted your correction");
    expect(e2e.llm.requests).toHaveLength(2);
    const roles = (e2e.llm.requests[1]!.body.messages as Array<{ role: string }>).map((m) => m.role);
    expect(roles.slice(-3)).toEqual(["assistant", "tool", "user"]);
    expect(requestTexts(e2e.llm.requests[1]!).at(-1)).toBe("actually, also be polite");
    const { messages } = await history();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "user", "assistant"]);
  });

  test("interrupt aborts the running turn and answers the new message next", async () => {
    e2e = await startE2e({ llm: { delayMs: 40, script: [{ text: "a long answer that will never finish streaming out" }, { text: "answer to the interruption" }] } });
    const a = await send({ sessionKey: MAIN, message: "tell me a story" });
    await until(() => e2e!.log.of("chat", a.runId).length > 0, 5000, "the first delta");
    const b = await send({ sessionKey: MAIN, message: "stop, different question", queueMode: "interrupt" });
    expect((await e2e.log.end(a.runId)).state).toBe("aborted");
    expect((await wait(b.runId)).text).toBe("answer to the interruption");
    const { messages } = await history();
    expect(messages.filter((m) => m.role === "assistant").map((m) => m.content)).toEqual(["answer to the interruption"]);
  });
});
