import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { createChannelManager } from "../../src/channels/manager.ts";
import { createPairingStore } from "../../src/channels/pairing.ts";
import type { ManagerClock } from "../../src/channels/restart-policy.ts";
import type { Channel, ChannelPlugin } from "../../src/channels/types.ts";

function fakeClock() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  const clock: ManagerClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = ++ids;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  return {
    clock,
    /** Runs the next timer; returns its delay from "now". */
    async fireNext(): Promise<number> {
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift()!;
      const delay = next.at - now;
      now = next.at;
      next.fn();
      await Bun.sleep(1);
      return delay;
    },
    pending: () => timers.length,
  };
}

/** A plugin whose accounts fail to start `failures` times, then run until stopped. */
function flakyPlugin(failures: number) {
  const starts: number[] = [];
  const plugin: ChannelPlugin = {
    name: "flaky",
    defaultTextChunkLimit: 100,
    isConfigured: (config) => config.token !== undefined,
    create: ({ accountId }): Channel => ({
      name: "flaky",
      accountId,
      textChunkLimit: 100,
      async start(signal) {
        starts.push(Date.now());
        if (failures-- > 0) throw new Error("connection refused");
        await new Promise((resolve) => signal.addEventListener("abort", resolve));
      },
      send: async () => ({ messageId: "1", messageIds: ["1"] }),
      editText: async () => {},
      sendTyping: async () => {},
      status: () => ({ connected: true }),
    }),
  };
  return { plugin, starts };
}

function managerWith(plugin: ChannelPlugin, section: Record<string, unknown>, clock: ManagerClock) {
  return createChannelManager({
    channels: () => ({ flaky: section }),
    stateDir: "/tmp",
    env: {},
    pairing: createPairingStore(new Database(":memory:")),
    onMessage: async () => {},
    plugins: { flaky: async () => ({ plugin }) },
    clock,
    random: () => 0.5,
    approvalPollMs: 0,
  });
}

describe("channel manager", () => {
  test("the pairing-approval poll runs only while an account runs: none without a configured channel", async () => {
    const time = fakeClock();
    const { plugin } = flakyPlugin(0);
    const options = { stateDir: "/tmp", env: {}, onMessage: async () => {}, plugins: { flaky: async () => ({ plugin }) }, clock: time.clock, random: () => 0.5, approvalPollMs: 1000 };
    const idle = createChannelManager({ ...options, channels: () => ({}), pairing: createPairingStore(new Database(":memory:")) });
    await idle.start();
    expect(time.pending()).toBe(0);
    const running = createChannelManager({ ...options, channels: () => ({ flaky: { token: "t" } }), pairing: createPairingStore(new Database(":memory:")) });
    await running.start();
    await Bun.sleep(1);
    expect(await time.fireNext()).toBe(1000);
    expect(time.pending()).toBe(1);
    await running.stop();
    expect(time.pending()).toBe(0);
  });

  test("a failing account is restarted after 5 s, 10 s, 20 s … capped at 5 minutes", async () => {
    const time = fakeClock();
    const { plugin } = flakyPlugin(100);
    const manager = managerWith(plugin, { token: "t" }, time.clock);
    await manager.start();
    await Bun.sleep(1);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) delays.push(await time.fireNext());
    expect(delays).toEqual([5000, 10000, 20000, 40000, 80000, 160000, 300000, 300000]);
    expect(manager.status()[0]).toMatchObject({ running: false, lastError: "connection refused" });
  });

  test("restarts stop after 10 within an hour and the status says how to start again", async () => {
    const time = fakeClock();
    const { plugin, starts } = flakyPlugin(100);
    const manager = managerWith(plugin, { token: "t" }, time.clock);
    await manager.start();
    await Bun.sleep(1);
    for (let i = 0; i < 10; i++) await time.fireNext();
    expect(starts).toHaveLength(11);
    expect(time.pending()).toBe(0);
    expect(manager.status()[0]!.lastError).toContain("openclaw channels start flaky");
  });

  test("jitter keeps each delay within 10 % of the base", async () => {
    const time = fakeClock();
    const { plugin } = flakyPlugin(1);
    const manager = createChannelManager({
      channels: () => ({ flaky: { token: "t" } }),
      stateDir: "/tmp",
      env: {},
      pairing: createPairingStore(new Database(":memory:")),
      onMessage: async () => {},
      plugins: { flaky: async () => ({ plugin }) },
      clock: time.clock,
      random: () => 1,
      approvalPollMs: 0,
    });
    await manager.start();
    await Bun.sleep(1);
    expect(await time.fireNext()).toBe(5500);
    expect(manager.status()[0]).toMatchObject({ running: true, lastError: null });
  });

  test("an account that recovers runs on and stop ends it", async () => {
    const time = fakeClock();
    const { plugin } = flakyPlugin(1);
    const manager = managerWith(plugin, { token: "t" }, time.clock);
    await manager.start();
    await Bun.sleep(1);
    await time.fireNext();
    expect(manager.status()[0]!.running).toBe(true);
    await manager.stopAccount("flaky");
    expect(manager.status()[0]!.running).toBe(false);
    await manager.startAccount("flaky");
    expect(manager.status()[0]!.running).toBe(true);
    await manager.stop();
  });

  test("dmPolicy open without allowFrom * is refused with a message naming the keys", async () => {
    const time = fakeClock();
    const { plugin, starts } = flakyPlugin(0);
    const manager = managerWith(plugin, { token: "t", dmPolicy: "open" }, time.clock);
    await manager.start();
    expect(starts).toHaveLength(0);
    expect(manager.status()[0]!.lastError).toContain('channels.flaky.allowFrom does not include "*"');
  });

  test("an account without credentials is reported as not configured and not started", async () => {
    const time = fakeClock();
    const { plugin, starts } = flakyPlugin(0);
    const manager = managerWith(plugin, { accounts: { work: { token: "t" }, home: {} } }, time.clock);
    await manager.start();
    await Bun.sleep(1);
    const status = manager.status();
    expect(status.map((s) => [s.accountId, s.configured, s.running])).toEqual([
      ["work", true, true],
      ["home", false, false],
    ]);
    expect(starts).toHaveLength(1);
    await manager.stop();
  });
});
