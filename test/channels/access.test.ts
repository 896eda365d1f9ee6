import { describe, expect, test } from "bun:test";
import { decideAccess, resolveAccessPolicy } from "../../src/channels/access.ts";
import { ChannelError } from "../../src/channels/errors.ts";
import { inbound } from "./helpers.ts";

const never = () => false;

describe("access control", () => {
  test("the default DM policy is pairing", () => {
    expect(decideAccess(resolveAccessPolicy({}, "channels.telegram"), inbound(), never)).toEqual({ action: "pair" });
  });

  test("a sender in allowFrom is delivered, by id or by @username", () => {
    const policy = resolveAccessPolicy({ allowFrom: ["tg:42"] }, "channels.telegram", ["tg", "telegram"]);
    expect(decideAccess(policy, inbound(), never).action).toBe("deliver");
    const byName = resolveAccessPolicy({ allowFrom: ["@Ada"], dmPolicy: "allowlist" }, "channels.telegram");
    expect(decideAccess(byName, inbound({ senderId: "7" }), never).action).toBe("deliver");
  });

  test("a sender approved through pairing is delivered", () => {
    expect(decideAccess(resolveAccessPolicy({}, "c"), inbound(), () => true).action).toBe("deliver");
  });

  test("dmPolicy allowlist ignores unknown senders instead of pairing", () => {
    expect(decideAccess(resolveAccessPolicy({ dmPolicy: "allowlist" }, "c"), inbound(), never).action).toBe("ignore");
  });

  test("dmPolicy disabled ignores every DM", () => {
    expect(decideAccess(resolveAccessPolicy({ dmPolicy: "disabled", allowFrom: ["42"] }, "c"), inbound(), never).action).toBe("ignore");
  });

  test('dmPolicy open requires allowFrom ["*"]', () => {
    expect(() => resolveAccessPolicy({ dmPolicy: "open" }, "channels.telegram")).toThrow(ChannelError);
    const policy = resolveAccessPolicy({ dmPolicy: "open", allowFrom: ["*"] }, "channels.telegram");
    expect(decideAccess(policy, inbound({ senderId: "1" }), never).action).toBe("deliver");
  });

  test("groupPolicy open delivers mentions from any group; disabled none", () => {
    const group = inbound({ chatId: "-1", chat: { id: "-1", kind: "group" }, mentionsBot: true });
    expect(decideAccess(resolveAccessPolicy({ groupPolicy: "open" }, "c"), group, never).action).toBe("deliver");
    expect(decideAccess(resolveAccessPolicy({ groupPolicy: "disabled" }, "c"), group, never).action).toBe("ignore");
  });

  test("groupAllowFrom lets a listed sender trigger in an unlisted group", () => {
    const group = inbound({ chat: { id: "-1", kind: "group" }, mentionsBot: true });
    expect(decideAccess(resolveAccessPolicy({ groupAllowFrom: ["42"] }, "c"), group, never).action).toBe("deliver");
  });

  test('groups["*"] sets requireMention for every group', () => {
    const group = inbound({ chat: { id: "-1", kind: "group" }, mentionsBot: false });
    expect(decideAccess(resolveAccessPolicy({ groups: { "*": { requireMention: false } } }, "c"), group, never).action).toBe("deliver");
    expect(decideAccess(resolveAccessPolicy({ groups: { "*": {} } }, "c"), group, never).action).toBe("ignore");
  });
});
