import { describe, expect, test } from "bun:test";
import type { Config } from "../../src/config/schema.ts";
import { RoutingError, resolveRoute, type InboundRoute, type MatchedBy } from "../../src/routing/index.ts";

const config: Config = {
  agents: { entries: { main: {}, vip: {}, support: {}, gamer: {}, mods: {}, team: {}, work: {}, tg: {} } },
  session: { dmScope: "per-channel-peer" },
  bindings: [
    { agentId: "tg", match: { channel: "telegram", accountId: "*" } },
    { agentId: "work", match: { channel: "telegram", accountId: "work" } },
    { agentId: "team", match: { channel: "slack", teamId: "T1" } },
    { agentId: "gamer", match: { channel: "discord", guildId: "G1" } },
    { agentId: "mods", match: { channel: "discord", guildId: "G1", roles: ["R-mod"] } },
    { agentId: "support", match: { channel: "discord", peer: { kind: "channel", id: "C-help" } } },
    { agentId: "vip", match: { channel: "telegram", accountId: "*", peer: { kind: "direct", id: "42" } }, session: { dmScope: "per-peer" } },
  ],
};

const table: Array<[string, InboundRoute, string, MatchedBy, string]> = [
  ["a peer binding wins over everything", { channel: "telegram", peer: { kind: "direct", id: "42" } }, "vip", "binding.peer", "agent:vip:direct:42"],
  ["a thread inherits its parent's peer binding", { channel: "discord", guildId: "G1", peer: { kind: "channel", id: "T-9" }, parentPeer: { kind: "channel", id: "C-help" }, threadId: "T-9" }, "support", "binding.peer.parent", "agent:support:discord:channel:t-9:thread:t-9"],
  ["guild plus roles beats the plain guild", { channel: "discord", guildId: "G1", memberRoleIds: ["R-mod"], peer: { kind: "channel", id: "C1" } }, "mods", "binding.guild+roles", "agent:mods:discord:channel:c1"],
  ["a guild binding applies without the role", { channel: "discord", guildId: "G1", memberRoleIds: ["R-x"], peer: { kind: "channel", id: "C1" } }, "gamer", "binding.guild", "agent:gamer:discord:channel:c1"],
  ["a team binding applies to its workspace", { channel: "slack", teamId: "T1", peer: { kind: "channel", id: "C7" } }, "team", "binding.team", "agent:team:slack:channel:c7"],
  ["an account binding beats the channel wildcard", { channel: "telegram", accountId: "work", peer: { kind: "direct", id: "7" } }, "work", "binding.account", "agent:work:telegram:direct:7"],
  ["the channel wildcard catches other accounts", { channel: "telegram", accountId: "home", peer: { kind: "group", id: "-100" }, topicId: "3" }, "tg", "binding.channel", "agent:tg:telegram:group:-100:topic:3"],
  ["an unbound channel goes to the default agent", { channel: "whatsapp", peer: { kind: "direct", id: "+4912" } }, "main", "default", "agent:main:whatsapp:direct:+4912"],
  ["a message with no peer goes to the main session", { channel: "webchat" }, "main", "default", "agent:main:main"],
];

describe("resolveRoute", () => {
  for (const [name, inbound, agentId, matchedBy, sessionKey] of table) {
    test(name, () => {
      const route = resolveRoute(config, inbound);
      expect(route).toMatchObject({ agentId, matchedBy, sessionKey, mainSessionKey: `agent:${agentId}:main` });
    });
  }

  test("a binding's dmScope overrides session.dmScope", () => {
    expect(resolveRoute(config, { channel: "telegram", peer: { kind: "direct", id: "42" } }).dmScope).toBe("per-peer");
  });

  test("a binding without accountId matches only the default account", () => {
    const cfg: Config = { bindings: [{ agentId: "main", match: { channel: "slack" } }] };
    expect(resolveRoute(cfg, { channel: "slack" }).matchedBy).toBe("binding.account");
    expect(resolveRoute(cfg, { channel: "slack", accountId: "other" }).matchedBy).toBe("default");
  });

  test("a binding to an unknown agent falls back to the default agent", () => {
    const cfg: Config = { agents: { entries: { home: {} } }, bindings: [{ agentId: "gone", match: { channel: "slack" } }] };
    expect(resolveRoute(cfg, { channel: "slack" }).agentId).toBe("home");
  });

  test("the same config and inbound give the same cached object", () => {
    const inbound: InboundRoute = { channel: "telegram", peer: { kind: "direct", id: "42" } };
    expect(resolveRoute(config, inbound)).toBe(resolveRoute(config, { ...inbound }));
  });

  test("a new config object is resolved afresh", () => {
    const inbound: InboundRoute = { channel: "slack" };
    const a = resolveRoute({}, inbound);
    const b = resolveRoute({ agents: { entries: { other: {} } } }, inbound);
    expect([a.agentId, b.agentId]).toEqual(["main", "other"]);
  });

  test("an inbound message without a channel is rejected with a clear error", () => {
    try {
      resolveRoute(config, { channel: " " });
      throw new Error("expected an error");
    } catch (error) {
      expect(error).toBeInstanceOf(RoutingError);
      expect((error as RoutingError).code).toBe("invalid_inbound");
    }
  });
});
