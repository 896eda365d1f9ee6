import { describe, expect, test } from "bun:test";
import type { Config } from "../../src/config/schema.ts";
import { RoutingError, defaultAgentId, listAgents, resolveAgent } from "../../src/routing/index.ts";

const stateDir = "/state";

describe("agents", () => {
  test("the agent marked default is the default", () => {
    expect(defaultAgentId({ agents: { entries: { a: {}, B: { default: true } } } })).toBe("b");
  });
  test("without a marked default the first agent is the default", () => {
    expect(defaultAgentId({ agents: { entries: { first: {}, second: {} } } })).toBe("first");
  });
  test("with no agents the default is main", () => expect(defaultAgentId({})).toBe("main"));
  test("the older agents.list array is accepted", () => {
    expect(listAgents({ agents: { list: [{ id: "Old" }, { id: "two", default: true }] } }).map((a) => a.id)).toEqual(["old", "two"]);
    expect(defaultAgentId({ agents: { list: [{ id: "Old" }, { id: "two", default: true }] } })).toBe("two");
  });

  const config: Config = {
    agents: {
      defaults: { model: { primary: "openai/gpt-5", fallbacks: ["anthropic/claude"] }, timeoutSeconds: 600, workspace: "/ws/default" },
      entries: { main: {}, work: { model: "anthropic/claude-opus", timeoutSeconds: 60 }, own: { workspace: "/ws/own" } },
    },
  };

  test("the default agent uses agents.defaults.workspace", () => expect(resolveAgent(config, "main", { stateDir }).workspace).toBe("/ws/default"));
  test("other agents get workspace-<id> under the state dir", () => expect(resolveAgent(config, "work", { stateDir }).workspace).toBe("/state/workspace-work"));
  test("an agent's own workspace wins", () => expect(resolveAgent(config, "own", { stateDir }).workspace).toBe("/ws/own"));
  test("the default agent's workspace defaults to <stateDir>/workspace", () =>
    expect(resolveAgent({}, "main", { stateDir }).workspace).toBe("/state/workspace"));
  test("a workspace with ~ is expanded", () =>
    expect(resolveAgent({ agents: { entries: { a: { workspace: "~/w" } } } }, "a", { stateDir, env: { HOME: "/home/u" } }).workspace).toBe("/home/u/w"));
  test("an entry's model string replaces the primary and keeps default fallbacks", () => {
    const agent = resolveAgent(config, "work", { stateDir });
    expect(agent.model).toEqual({ primary: "anthropic/claude-opus", fallbacks: ["anthropic/claude"] });
    expect(agent.timeoutSeconds).toBe(60);
  });
  test("an agent without settings inherits the defaults", () => {
    const agent = resolveAgent(config, "main", { stateDir });
    expect(agent).toMatchObject({ id: "main", isDefault: true, timeoutSeconds: 600, model: { primary: "openai/gpt-5" } });
  });
  test("an unknown agent id is an error naming the known agents", () => {
    expect(() => resolveAgent(config, "nope", { stateDir })).toThrow(RoutingError);
    expect(() => resolveAgent(config, "nope", { stateDir })).toThrow(/main, work, own/);
  });
});
