import { describe, expect, test } from "bun:test";
import {
  cronSessionKey,
  hookSessionKey,
  mainSessionKey,
  normalizeAgentId,
  parseSessionKey,
  peerSessionKey,
  threadSessionKey,
  topicSessionKey,
} from "../../src/routing/index.ts";

describe("session keys", () => {
  const dm = { kind: "direct" as const, id: "User42" };
  const cases: Array<[string, Parameters<typeof peerSessionKey>[0], string]> = [
    ["dmScope main collapses DMs to the main key", { agentId: "main", channel: "telegram", peer: dm }, "agent:main:main"],
    ["per-peer keys by sender across channels", { agentId: "main", channel: "telegram", peer: dm, dmScope: "per-peer" }, "agent:main:direct:user42"],
    ["per-channel-peer adds the channel", { agentId: "main", channel: "Telegram", peer: dm, dmScope: "per-channel-peer" }, "agent:main:telegram:direct:user42"],
    [
      "per-account-channel-peer adds the account",
      { agentId: "main", channel: "telegram", accountId: "Work", peer: dm, dmScope: "per-account-channel-peer" },
      "agent:main:telegram:work:direct:user42",
    ],
    [
      "per-account-channel-peer uses the default account when none is given",
      { agentId: "main", channel: "telegram", peer: dm, dmScope: "per-account-channel-peer" },
      "agent:main:telegram:default:direct:user42",
    ],
    ["the older dm kind means direct", { agentId: "main", channel: "slack", peer: { kind: "dm", id: "U1" }, dmScope: "per-peer" }, "agent:main:direct:u1"],
    ["groups get their own key whatever the dmScope", { agentId: "Work", channel: "telegram", peer: { kind: "group", id: "-100123" } }, "agent:work:telegram:group:-100123"],
    ["rooms use the channel kind", { agentId: "main", channel: "discord", peer: { kind: "channel", id: "9876" } }, "agent:main:discord:channel:9876"],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => expect(peerSessionKey(input)).toBe(expected));
  }

  test("the main key lower-cases the agent id", () => expect(mainSessionKey("Ops")).toBe("agent:ops:main"));
  test("agent ids with invalid characters are cleaned", () => expect(normalizeAgentId(" My Agent! ")).toBe("my-agent"));
  test("an empty agent id is main", () => expect(normalizeAgentId("")).toBe("main"));
  test("threads append a thread suffix", () =>
    expect(threadSessionKey("agent:main:slack:channel:c01", "1700.42")).toBe("agent:main:slack:channel:c01:thread:1700.42"));
  test("telegram topics append a topic suffix", () =>
    expect(topicSessionKey("agent:main:telegram:group:-100123", "7")).toBe("agent:main:telegram:group:-100123:topic:7"));
  test("cron and hook keys have their own prefix", () => {
    expect(cronSessionKey("daily-report")).toBe("cron:daily-report");
    expect(hookSessionKey("0b6f")).toBe("hook:0b6f");
    expect(hookSessionKey()).toMatch(/^hook:[0-9a-f-]{36}$/);
  });

  const parsed: Array<[string, ReturnType<typeof parseSessionKey>]> = [
    ["agent:main:main", { kind: "main", agentId: "main" }],
    ["agent:main:direct:u1", { kind: "direct", agentId: "main", peerId: "u1" }],
    ["agent:main:telegram:work:direct:u1", { kind: "direct", agentId: "main", channel: "telegram", accountId: "work", peerId: "u1" }],
    ["agent:main:telegram:group:-100:topic:7", { kind: "group", agentId: "main", channel: "telegram", peerId: "-100", topicId: "7" }],
    ["agent:main:slack:channel:c1:thread:17.5", { kind: "channel", agentId: "main", channel: "slack", peerId: "c1", threadId: "17.5" }],
    ["cron:job", { kind: "cron" }],
    ["hook:abc", { kind: "hook" }],
    ["whatever", { kind: "other" }],
  ];
  for (const [key, expected] of parsed) {
    test(`parseSessionKey reads ${key}`, () => expect(parseSessionKey(key)).toEqual(expected));
  }
});
