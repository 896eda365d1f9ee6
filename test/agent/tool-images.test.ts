import { expect, test } from "bun:test";
import { z } from "zod";
import type { Tool } from "../../src/tools/types.ts";
import { startFake, type FakeApi, type FakeLlm } from "../fakes/llm/index.ts";
import { agentTestSetup, collect, configFor, ofType, runnerFor } from "./helpers.ts";

const { fakes, state } = agentTestSetup();

// Distinct bytes per image, so a test can tell which image went where.
const PNG_A = Buffer.from("\x89PNG\r\n\x1a\n-image-A").toString("base64");
const PNG_B = Buffer.from("\x89PNG\r\n\x1a\n-image-B").toString("base64");

const snapTool: Tool = {
  name: "snap",
  description: "Takes a picture.",
  params: z.object({ which: z.string() }),
  execute: async ({ which }: { which: string }) => ({
    content: `picture ${which}`,
    images: [{ mediaType: "image/png", data: which === "b" ? PNG_B : PNG_A }],
  }),
};

/** One tool call that returns an image, then a final answer; the second request's body. */
async function secondRequest(api: FakeApi, model?: string, calls = [{ name: "snap", args: { which: "a" }, id: "call_a" }]): Promise<any> {
  const fake: FakeLlm = startFake(api, { script: [{ toolCalls: calls }, { text: "I see it." }] });
  fakes.push(fake);
  const config = configFor([fake], () => (model ? { models: [{ id: model }] } : {}));
  if (model) config.agents!.defaults!.model = { primary: `p0/${model}` };
  const events = await collect(runnerFor(config, state, { tools: [snapTool] }).runAgent({ message: "look" }));
  expect(events.at(-1)).toMatchObject({ type: "final", text: "I see it." });
  return fake.requests[1]!.body;
}

test("an image from a tool reaches Anthropic as an image block inside the tool_result", async () => {
  const body = await secondRequest("anthropic-messages");
  const result = body.messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content : [])).find((c: any) => c.type === "tool_result");
  expect(result.tool_use_id).toBe("call_a");
  expect(result.content).toEqual([
    { type: "text", text: "picture a" },
    { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_A } },
  ]);
});

test("an image from a tool reaches the OpenAI Responses API as an input_image in the function_call_output", async () => {
  const body = await secondRequest("openai-responses");
  const output = body.input.find((i: any) => i.type === "function_call_output");
  expect(output.call_id).toBe("call_a");
  expect(output.output).toContainEqual({ type: "input_text", text: "picture a" });
  expect(output.output).toContainEqual(expect.objectContaining({ type: "input_image", image_url: `data:image/png;base64,${PNG_A}` }));
});

test("an image from a tool reaches Gemini 3 as inlineData inside the functionResponse", async () => {
  const body = await secondRequest("google-generative-ai", "gemini-3-pro-preview");
  const part = body.contents.flatMap((c: any) => c.parts).find((p: any) => p.functionResponse);
  expect(part.functionResponse.name).toBe("snap");
  expect(part.functionResponse.parts).toEqual([{ inlineData: { mimeType: "image/png", data: PNG_A } }]);
});

test("an image from a tool reaches an older Gemini model as inlineData in the same turn as the function response", async () => {
  const body = await secondRequest("google-generative-ai", "gemini-2.5-flash");
  const turn = body.contents.find((c: any) => c.parts.some((p: any) => p.functionResponse));
  expect(turn.parts).toContainEqual({ inlineData: { mimeType: "image/png", data: PNG_A } });
});

test("chat completions get a tool's images in a user message right after the step's tool messages", async () => {
  const body = await secondRequest("openai-completions", undefined, [
    { name: "snap", args: { which: "a" }, id: "call_a" },
    { name: "snap", args: { which: "b" }, id: "call_b" },
  ]);
  const roles = body.messages.map((m: any) => m.role);
  expect(roles).toEqual(["system", "user", "assistant", "tool", "tool", "user"]);
  expect(body.messages[3]).toEqual({ role: "tool", tool_call_id: "call_a", content: "picture a" });
  const images = body.messages[5].content.filter((p: any) => p.type === "image_url").map((p: any) => p.image_url.url);
  expect(images).toEqual([`data:image/png;base64,${PNG_A}`, `data:image/png;base64,${PNG_B}`]);
  expect(body.messages[5].content[0].text).toBe("Image returned by tool snap (call call_a):");
});

test("the tool message event keeps the images for the transcript", async () => {
  const fake = startFake("openai-completions", { script: [{ toolCalls: [{ name: "snap", args: { which: "b" } }] }, { text: "ok" }] });
  fakes.push(fake);
  const events = await collect(runnerFor(configFor([fake]), state, { tools: [snapTool] }).runAgent({ message: "look" }));
  const tool = ofType(events, "message").find((e) => e.message.role === "tool")!.message;
  expect(tool).toMatchObject({ role: "tool", content: "picture b", images: [{ mediaType: "image/png", data: PNG_B }] });
});
