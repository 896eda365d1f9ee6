import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runAgentViaGateway } from "../../src/cli/agent.ts";
import { captureIo } from "../../src/cli/io.ts";
import { runSessions } from "../../src/cli/sessions.ts";
import { isSummaryRequest, startE2e, TOKEN, until, type E2e } from "./helpers.ts";

let e2e: E2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const MAIN = "agent:main:main";
const call = <T = any>(method: string, params: unknown) => e2e!.log.client.request<T>(method, params);
const send = (params: Record<string, unknown>) => call<{ runId: string; status: string; command?: string }>("chat.send", params);
const wait = (runId: string) => call<{ status: string; text?: string; error?: { code: string } }>("agent.wait", { runId, timeoutMs: 10_000 });
/** The error code a call fails with (try/catch: bun's `rejects` misreports errors thrown in-process by the gateway). */
const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "no error";
  } catch (error) {
    return (error as { code?: string }).code;
  }
};
const slow = "a long answer that keeps streaming for quite a while before it ends";

describe("stopping and restarting a session", () => {
  test("chat.abort stops a running turn and its chat state is aborted", async () => {
    e2e = await startE2e({ llm: { delayMs: 40, text: slow } });
    const { runId } = await send({ sessionKey: MAIN, message: "go" });
    await until(() => e2e!.log.of("chat", runId).length > 0, 5000, "the first delta");
    expect(await call("chat.abort", { runId })).toEqual({ ok: true, aborted: true });
    expect((await e2e.log.end(runId)).state).toBe("aborted");
    expect((await wait(runId)).status).toBe("aborted");
    const { messages } = await call("chat.history", { sessionKey: MAIN });
    expect(messages.filter((m: any) => m.role === "assistant")).toEqual([]);
  });

  test("/stop sent as a message aborts the running turn", async () => {
    e2e = await startE2e({ llm: { delayMs: 40, text: slow } });
    const { runId } = await send({ sessionKey: MAIN, message: "go" });
    await until(() => e2e!.log.of("chat", runId).length > 0, 5000, "the first delta");
    const stop = await send({ sessionKey: MAIN, message: "/stop" });
    expect(stop.command).toBe("stop");
    expect((await e2e.log.end(runId)).state).toBe("aborted");
    expect(e2e.llm.requests).toHaveLength(1);
  });

  test("/new starts a new sessionId and the next turn does not see the old history", async () => {
    e2e = await startE2e({ llm: { text: "hello" } });
    await wait((await send({ sessionKey: MAIN, message: "remember 42" })).runId);
    const before = await call("sessions.get", { key: MAIN });
    expect((await send({ sessionKey: MAIN, message: "/new" })).command).toBe("new");
    const after = await call("sessions.get", { key: MAIN });
    expect(after.session.sessionId).not.toBe(before.session.sessionId);
    await wait((await send({ sessionKey: MAIN, message: "what number?" })).runId);
    const users = (e2e.llm.requests[1]!.body.messages as Array<{ role: string; content: string }>).filter((m) => m.role === "user");
    expect(users.map((m) => m.content)).toEqual(["what number?"]);
  });

  test("the same chat.send twice with one idempotencyKey gets the same runId and one answer", async () => {
    e2e = await startE2e({ llm: { delayMs: 10, text: "only once" } });
    const first = await send({ sessionKey: MAIN, message: "hi", idempotencyKey: "k-1" });
    const again = await send({ sessionKey: MAIN, message: "hi", idempotencyKey: "k-1" });
    expect(again.runId).toBe(first.runId);
    expect(again.status).toBe("duplicate");
    await wait(first.runId);
    const third = await send({ sessionKey: MAIN, message: "hi", idempotencyKey: "k-1" });
    expect(third.runId).toBe(first.runId);
    await Bun.sleep(50);
    expect(e2e.llm.requests).toHaveLength(1);
    expect(e2e.log.of("chat", first.runId).filter((p) => p.state === "final")).toHaveLength(1);
    const { messages } = await call("chat.history", { sessionKey: MAIN });
    expect(messages.map((m: any) => m.role)).toEqual(["user", "assistant"]);
  });
});

describe("cancelling queued runs and commands", () => {
  test("chat.abort of a queued run that has not started ends it with an aborted chat event", async () => {
    e2e = await startE2e({ llm: { delayMs: 30, text: slow } });
    const a = await send({ sessionKey: MAIN, message: "first" });
    const b = await send({ sessionKey: MAIN, message: "second", queueMode: "followup" });
    expect(await call("chat.abort", { runId: b.runId })).toEqual({ ok: true, aborted: true });
    expect((await e2e.log.end(b.runId, 2000)).state).toBe("aborted");
    expect((await wait(a.runId)).status).toBe("ok");
    expect(e2e.llm.requests).toHaveLength(1);
  });

  test("/stop also cancels the messages waiting behind the running turn, each with an aborted chat event", async () => {
    e2e = await startE2e({ llm: { delayMs: 30, text: slow } });
    const a = await send({ sessionKey: MAIN, message: "first" });
    const b = await send({ sessionKey: MAIN, message: "second", queueMode: "followup" });
    await until(() => e2e!.log.of("chat", a.runId).length > 0, 5000, "the first delta");
    await send({ sessionKey: MAIN, message: "/stop" });
    expect((await e2e.log.end(a.runId, 2000)).state).toBe("aborted");
    expect((await e2e.log.end(b.runId, 2000)).state).toBe("aborted");
  });

  test("a session command sent with chat.send ends its run with a final chat event", async () => {
    e2e = await startE2e();
    const stop = await send({ sessionKey: MAIN, message: "/stop" });
    expect(stop.command).toBe("stop");
    expect(await e2e.log.end(stop.runId, 2000)).toMatchObject({ state: "final", text: "Stopped." });
    const reset = await send({ sessionKey: MAIN, message: "/new" });
    expect(await e2e.log.end(reset.runId, 2000)).toMatchObject({ state: "final", text: "New session started." });
    expect(e2e.llm.requests).toEqual([]);
  });

  test("sessions.delete of a busy session aborts its turn and the session stays gone", async () => {
    e2e = await startE2e({ llm: { delayMs: 30, text: slow } });
    const { runId } = await send({ sessionKey: MAIN, message: "go" });
    await until(() => e2e!.log.of("chat", runId).length > 0, 5000, "the first delta");
    expect(await call("sessions.delete", { key: MAIN })).toEqual({ ok: true, deleted: true });
    expect((await e2e.log.end(runId)).state).toBe("aborted");
    await Bun.sleep(50);
    expect((await call("sessions.list", {})).sessions).toEqual([]);
    expect((await call("chat.history", { sessionKey: MAIN })).messages).toEqual([]);
  });
});

describe("sessions.* methods", () => {
  test("sessions.list, get, patch, reset and delete change the session and announce it with sessions.changed", async () => {
    e2e = await startE2e({ llm: { text: "hi" } });
    await wait((await send({ sessionKey: MAIN, message: "one" })).runId);
    await wait((await send({ sessionKey: "agent:main:other", message: "two" })).runId);
    const list = await call("sessions.list", {});
    expect(list.sessions.map((s: any) => s.key).sort()).toEqual(["agent:main:main", "agent:main:other"]);
    expect(list.sessions.every((s: any) => s.busy === false)).toBe(true);

    const patched = await call("sessions.patch", { key: MAIN, label: "Main chat" });
    expect(patched.session.label).toBe("Main chat");
    expect((await call("sessions.get", { key: MAIN })).session.label).toBe("Main chat");

    const before = (await call("sessions.get", { key: MAIN })).session.sessionId;
    const reset = await call("sessions.reset", { key: MAIN });
    expect(reset.session.sessionId).not.toBe(before);
    expect((await call("chat.history", { sessionKey: MAIN })).messages).toEqual([]);

    expect(await call("sessions.delete", { key: "agent:main:other" })).toEqual({ ok: true, deleted: true });
    expect(await codeOf(call("sessions.get", { key: "agent:main:other" }))).toBe("NOT_FOUND");

    const reasons = await until(() => {
      const r = e2e!.log.of("sessions.changed").map((p) => `${p.key} ${p.reason}`);
      return r.includes("agent:main:other deleted") && r;
    });
    expect(reasons).toEqual(expect.arrayContaining(["agent:main:main turn", "agent:main:main patched", "agent:main:main reset", "agent:main:other deleted"]));
  });

  test("sessions.compact summarises older turns with the model and keeps the newest", async () => {
    let answers = 0;
    e2e = await startE2e({ llm: { script: (req) => (isSummaryRequest(req) ? { text: "SUMMARY: the user counted to two." } : { text: `answer ${++answers}` }) } });
    await wait((await send({ sessionKey: MAIN, message: "one" })).runId);
    await wait((await send({ sessionKey: MAIN, message: "two" })).runId);
    const result = await call("sessions.compact", { key: MAIN });
    expect(result).toMatchObject({ ok: true, compacted: true });
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore);
    await until(() => e2e!.log.of("sessions.changed").some((p) => p.reason === "compacted"));

    await wait((await send({ sessionKey: MAIN, message: "three" })).runId);
    const last = e2e.llm.requests.at(-1)!.body.messages as Array<{ role: string; content: string }>;
    expect(JSON.stringify(last)).toContain("SUMMARY: the user counted to two.");
    expect(JSON.stringify(last)).not.toContain('"one"');
    const { messages } = await call("chat.history", { sessionKey: MAIN });
    expect(messages.some((m: any) => m.role === "compaction" && m.content === "SUMMARY: the user counted to two.")).toBe(true);
  });

  test("sessions.compact on an unknown session is NOT_FOUND", async () => {
    e2e = await startE2e();
    expect(await codeOf(call("sessions.compact", { key: "agent:main:nope" }))).toBe("NOT_FOUND");
  });
});

describe("agent runs and the CLI", () => {
  test("agent submits a run and agent.wait returns its answer", async () => {
    e2e = await startE2e({ llm: { delayMs: 10, text: "agent answer" } });
    const run = await call("agent", { message: "hello agent" });
    expect(run).toMatchObject({ sessionKey: MAIN, status: "accepted" });
    expect(await wait(run.runId)).toMatchObject({ runId: run.runId, status: "ok", text: "agent answer" });
  });

  test("models.list names the configured fake model", async () => {
    e2e = await startE2e();
    const { models } = await call<{ models: Array<Record<string, unknown>> }>("models.list", {});
    expect(models).toContainEqual(expect.objectContaining({ id: "fake-model", provider: "fake" }));
  });

  test("agent.wait on an unknown run is NOT_FOUND", async () => {
    e2e = await startE2e();
    expect(await codeOf(call("agent.wait", { runId: "no-such-run" }))).toBe("NOT_FOUND");
  });

  test("openclaw agent -m prints the streamed answer and exits 0", async () => {
    e2e = await startE2e({ llm: { delayMs: 10, text: "Streamed answer from the agent." } });
    const cli = captureIo(e2e.env);
    expect(await runAgentViaGateway({ message: "hi", url: e2e.wsUrl, token: TOKEN }, cli.io)).toBe(0);
    expect(cli.stdout().trim()).toBe("Streamed answer from the agent.");
    expect(e2e.llm.requests).toHaveLength(1);
  });

  test("openclaw agent -m prints the model's error and exits 1", async () => {
    e2e = await startE2e({ llm: { script: () => ({ error: { status: 401, message: "invalid api key" } }) } });
    const cli = captureIo(e2e.env);
    expect(await runAgentViaGateway({ message: "hi", url: e2e.wsUrl, token: TOKEN }, cli.io)).toBe(1);
    expect(cli.stderr()).toStartWith("Error: ");
    expect(cli.stdout()).toBe("");
  });

  test("openclaw agent -m /new confirms the new session and exits 0", async () => {
    e2e = await startE2e();
    const cli = captureIo(e2e.env);
    const exit = await Promise.race([runAgentViaGateway({ message: "/new", url: e2e.wsUrl, token: TOKEN }, cli.io), Bun.sleep(3000).then(() => "hung")]);
    expect(exit).toBe(0);
    expect(cli.stdout().trim()).toBe("New session started.");
  });

  test("openclaw sessions export writes OpenClaw JSONL lines", async () => {
    e2e = await startE2e({ llm: { script: [{ toolCalls: [{ name: "read", args: { path: "AGENTS.md" } }] }, { text: "done reading" }] } });
    await wait((await send({ sessionKey: MAIN, message: "read it" })).runId);
    const out = join(e2e.stateDir, "export.jsonl");
    const cli = captureIo(e2e.env);
    expect(await runSessions("export", { key: MAIN, out }, cli.io)).toBe(0);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "session", version: 3 });
    expect(lines.slice(1).map((l) => l.message.role)).toEqual(["user", "assistant", "toolResult", "assistant"]);
    for (let i = 2; i < lines.length; i++) expect(lines[i].parentId).toBe(lines[i - 1].id);
    expect(lines[2].message.content).toContainEqual(expect.objectContaining({ type: "toolCall", name: "read" }));
  });
});
