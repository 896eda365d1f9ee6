import { expect, test } from "bun:test";
import { parseSkillFile } from "../../src/skills/index.ts";

const manifest = (text: string) => {
  const parsed = parseSkillFile(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.manifest;
};

test("the metadata block from OpenClaw's docs (multi-line JSON5 inside YAML, trailing commas) is read", () => {
  const m = manifest(`---
name: image-lab
description: Generate or edit images via a provider-backed image workflow
metadata:
  {
    "openclaw":
      {
        "requires": { "bins": ["uv"], "env": ["GEMINI_API_KEY"], "config": ["browser.enabled"] },
        "primaryEnv": "GEMINI_API_KEY",
      },
  }
---
body`);
  expect(m.name).toBe("image-lab");
  expect(m.requires).toEqual({ bins: ["uv"], anyBins: [], env: ["GEMINI_API_KEY"], config: ["browser.enabled"] });
  expect(m.primaryEnv).toBe("GEMINI_API_KEY");
});

test("metadata may be a nested YAML mapping, a JSON string, or the legacy clawdbot key", () => {
  const yaml = manifest("---\nname: a\ndescription: d\nmetadata:\n  openclaw:\n    os: [darwin, linux]\n    always: true\n---\n");
  expect([yaml.os, yaml.always]).toEqual([["darwin", "linux"], true]);
  const str = manifest(`---\nname: a\ndescription: d\nmetadata: '{"openclaw": {"requires": {"anyBins": ["a", "b"]}}}'\n---\n`);
  expect(str.requires.anyBins).toEqual(["a", "b"]);
  const legacy = manifest(`---\nname: a\ndescription: d\nmetadata: {"clawdbot": {"requires": {"bins": ["x"]}}}\n---\n`);
  expect(legacy.requires.bins).toEqual(["x"]);
});

test("folded descriptions, a description with a colon, CRLF line ends and a BOM are read as written", () => {
  expect(manifest("---\nname: w\ndescription: >\n  Looks up the\n  forecast.\n---\n").description).toBe("Looks up the forecast.");
  expect(manifest("---\nname: w\ndescription: Use this: when the user asks\n---\n").description).toBe("Use this: when the user asks");
  expect(manifest("\uFEFF---\r\nname: w\r\ndescription: crlf\r\n---\r\nbody").description).toBe("crlf");
});

test("invocation flags accept booleans and yes/no words", () => {
  const m = manifest("---\nname: w\ndescription: d\ndisable-model-invocation: yes\nuser-invocable: false\n---\n");
  expect([m.disableModelInvocation, m.userInvocable]).toEqual([true, false]);
});

test("the body follows the closing --- line", () => {
  const parsed = parseSkillFile("---\nname: w\ndescription: d\n---\n# Title\ntext\n");
  expect(parsed.ok && parsed.body).toBe("# Title\ntext\n");
});
