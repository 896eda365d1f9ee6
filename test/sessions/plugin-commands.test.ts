import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSessionQueue, createSessionStore } from "../../src/sessions/index.ts";
import type { PluginCommandHandler } from "../../src/sessions/commands.ts";
import { createFakeRunTurn } from "./fake-run.ts";

const K = "agent:main:main";
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(handlers: Record<string, PluginCommandHandler>, opts: { auto?: boolean; path?: string } = {}) {
  const store = createSessionStore(opts.path ? { path: opts.path } : {});
  const fake = createFakeRunTurn({ auto: opts.auto ?? true });
  const commands = new Map(Object.entries(handlers));
  const queue = createSessionQueue({ store, runTurn: fake.runTurn, pluginCommands: () => commands });
  const send = (message: string, extra: Partial<Parameters<typeof queue.submit>[0]> = {}) => queue.submit({ sessionKey: K, agentId: "main", message, ...extra });
  return { store, fake, queue, send };
}

describe("plugin chat commands in the session queue", () => {
  test("a plugin command waits for the running turn of its session, then answers without a model turn", async () => {
    const order: string[] = [];
    const { fake, queue, send } = setup({ ping: async ({ args }) => (order.push("ping"), `pong ${args}`) }, { auto: false });
    const turn = send("work");
    await fake.untilTurns(1);
    const ping = send("/PING@mybot  now");
    expect(ping.command).toBe("plugin");
    await Bun.sleep(20);
    expect(order).toEqual([]);
    order.push("turn done");
    fake.turns[0]!.finish("done");
    await queue.wait(turn.runId);
    expect(await queue.wait(ping.runId)).toMatchObject({ type: "final", text: "pong now", stopReason: "command" });
    expect(order).toEqual(["turn done", "ping"]);
    expect(fake.turns).toHaveLength(1);
  });

  test("/stop ends a plugin command that never returns, and the session takes the next message", async () => {
    let seen: AbortSignal | undefined;
    const { queue, send } = setup({ hang: ({ signal }) => ((seen = signal), new Promise<string>(() => {})) });
    const hang = send("/hang");
    await Bun.sleep(10);
    send("/stop");
    expect(await queue.wait(hang.runId)).toMatchObject({ type: "error", error: { code: "aborted" } });
    expect(seen?.aborted).toBe(true);
    expect(await queue.wait(send("hello").runId)).toMatchObject({ type: "final", text: "echo: hello" });
  });

  test("a plugin command queued when the gateway stopped runs as a command after the restart, not as a model turn", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plugin-cmd-"));
    dirs.push(dir);
    const path = join(dir, "state.db");
    const first = setup({ ping: async () => "pong" }, { auto: false, path });
    first.send("work");
    await first.fake.untilTurns(1);
    const ping = first.send("/ping");
    first.store.close(); // the crash: neither the turn nor the command finishes

    const second = setup({ ping: async () => "pong after restart" }, { path });
    expect(second.queue.recover()).toEqual({ resumed: 1, queued: 1 });
    expect(await second.queue.wait(ping.runId)).toMatchObject({ type: "final", text: "pong after restart", stopReason: "command" });
    expect(second.fake.turns).toHaveLength(1);
    second.store.close();
  });
});
