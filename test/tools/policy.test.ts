import { expect, test } from "bun:test";
import { z } from "zod";
import type { Config } from "../../src/config/index.ts";
import { applyHttpToolPolicy, applyToolPolicy, filterTools, type Tool } from "../../src/tools/index.ts";

const tool = (name: string, aliases?: string[]): Tool => ({ name, aliases, description: name, params: z.object({}), execute: async () => ({ content: name }) });
const ALL = ["exec", "process", "read", "write", "edit", "apply_patch", "web_fetch", "memory_search", "sessions_list", "session_status", "message"].map((n) =>
  tool(n, n === "exec" ? ["bash"] : undefined),
);
const names = (tools: Tool[]) => tools.map((t) => t.name);

test("no policy keeps every tool", () => {
  expect(names(filterTools(ALL))).toEqual(names(ALL));
});

test("the minimal profile keeps only session_status", () => {
  expect(names(filterTools(ALL, { profile: "minimal" }))).toEqual(["session_status"]);
});

test("the coding profile keeps fs, runtime, sessions and memory tools", () => {
  expect(names(filterTools(ALL, { profile: "coding" }))).toEqual(["exec", "process", "read", "write", "edit", "apply_patch", "memory_search", "sessions_list", "session_status"]);
});

test("the messaging profile keeps message and the session tools", () => {
  expect(names(filterTools(ALL, { profile: "messaging" }))).toEqual(["sessions_list", "session_status", "message"]);
});

test("the full profile keeps every tool", () => {
  expect(filterTools(ALL, { profile: "full" })).toHaveLength(ALL.length);
});

test("deny wins over allow and over the profile", () => {
  expect(names(filterTools(ALL, { profile: "coding", allow: ["exec", "read"], deny: ["exec"] }))).toEqual(["read"]);
});

test("groups and wildcards work in allow and deny", () => {
  expect(names(filterTools(ALL, { allow: ["group:fs", "web_*"] }))).toEqual(["read", "write", "edit", "apply_patch", "web_fetch"]);
  expect(names(filterTools(ALL, { deny: ["*"] }))).toEqual([]);
});

test("denying an alias denies the tool, case-insensitively", () => {
  expect(names(filterTools(ALL, { deny: ["BASH"] }))).not.toContain("exec");
});

test("an agent's profile overrides the global one and its deny adds to the global deny", () => {
  const config: Config = {
    tools: { profile: "coding", deny: ["write"] },
    agents: { entries: { support: { tools: { profile: "messaging", deny: ["sessions_list"] } } } },
  };
  expect(names(applyToolPolicy(ALL, config, "support"))).toEqual(["session_status", "message"]);
  expect(names(applyToolPolicy(ALL, config, "other"))).not.toContain("write");
  expect(names(applyToolPolicy(ALL, config, "other"))).toContain("exec");
});

test("agents.defaults.tools applies to every agent and agents.list entries are found by id", () => {
  const config: Config = { agents: { defaults: { tools: { deny: ["group:runtime"] } }, list: [{ id: "ro", tools: { allow: ["read"] } }] } };
  expect(names(applyToolPolicy(ALL, config, "main"))).not.toContain("exec");
  expect(names(applyToolPolicy(ALL, config, "ro"))).toEqual(["read"]);
});

test("over HTTP exec, write, edit and apply_patch are denied unless gateway.tools.allow lists them", () => {
  expect(names(applyHttpToolPolicy(ALL))).toEqual(["read", "web_fetch", "memory_search", "sessions_list", "session_status", "message"]);
  expect(names(applyHttpToolPolicy(ALL, { gateway: { tools: { allow: ["exec"], deny: ["message"] } } }))).toEqual(["exec", "read", "web_fetch", "memory_search", "sessions_list", "session_status"]);
});
