import { describe, expect, test } from "bun:test";
import { decideGuildAccess } from "../../../plugins/discord/access.ts";
import type { InboundMessage } from "../../../src/channels/types.ts";

const message = (over: Partial<InboundMessage> = {}): InboundMessage => ({
  channel: "discord",
  accountId: "default",
  sender: { id: "42", username: "alice" },
  chat: { id: "7", kind: "channel", title: "general" },
  guildId: "1",
  memberRoleIds: [],
  mentionsBot: true,
  text: "hi",
  media: [],
  messageId: "9",
  timestamp: 0,
  ...over,
});

describe("discord guild access rules", () => {
  test("a username in users is not enough unless dangerouslyAllowNameMatching is on", () => {
    const guilds = { "1": { users: ["alice"] } };
    expect(decideGuildAccess(message(), { guilds }).action).toBe("ignore");
    expect(decideGuildAccess(message(), { guilds, dangerouslyAllowNameMatching: true }).action).toBe("deliver");
    expect(decideGuildAccess(message(), { guilds: { "1": { users: ["discord:42"] } } }).action).toBe("deliver");
  });

  test("a channel's users list replaces its guild's", () => {
    const guilds = { "1": { users: ["99"], channels: { general: { users: ["*"] } } } };
    expect(decideGuildAccess(message(), { guilds }).action).toBe("deliver");
    expect(decideGuildAccess(message({ chat: { id: "8", kind: "channel", title: "other" } }), { guilds: { "1": { users: ["99"], channels: { general: {}, "*": {} } } } }).action).toBe("ignore");
  });

  test("groupPolicy open answers an unlisted guild when mentioned; disabled answers none", () => {
    expect(decideGuildAccess(message(), { groupPolicy: "open" }).action).toBe("deliver");
    expect(decideGuildAccess(message({ mentionsBot: false }), { groupPolicy: "open" }).action).toBe("ignore");
    expect(decideGuildAccess(message(), { groupPolicy: "disabled", guilds: { "1": {} } }).action).toBe("ignore");
  });

  test("a channel with enabled false (or the legacy allow false) is ignored", () => {
    expect(decideGuildAccess(message(), { guilds: { "1": { channels: { "7": { enabled: false } } } } }).action).toBe("ignore");
    expect(decideGuildAccess(message(), { guilds: { "1": { channels: { "7": { allow: false } } } } }).action).toBe("ignore");
  });
});
