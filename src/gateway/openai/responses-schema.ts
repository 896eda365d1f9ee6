import { z } from "zod";
import { lazySchema } from "../../protocol/lazy-schema.ts";

const inputPart = lazySchema(() => z.discriminatedUnion("type", [
  z.object({ type: z.literal("input_text"), text: z.string() }),
  z.object({ type: z.literal("output_text"), text: z.string() }),
  z.object({ type: z.literal("input_image"), image_url: z.string(), detail: z.string().optional() }),
]));

const messageItem = lazySchema(() => z.object({
  type: z.literal("message").optional(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(inputPart())]),
}));

const toolOutputItem = lazySchema(() => z.object({ type: z.literal("function_call_output"), call_id: z.string(), output: z.string() }));

export const responsesRequestSchema = lazySchema(() => z.object({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(z.union([messageItem(), toolOutputItem()])).min(1, "send at least one input item")]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  previous_response_id: z.string().nullish(),
  user: z.string().max(256).nullish(),
  store: z.boolean().nullish(),
  max_output_tokens: z.number().int().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  tools: z.array(z.unknown()).nullish(),
}));
export type ResponsesRequest = z.infer<ReturnType<typeof responsesRequestSchema>>;
export type ResponsesInputItem = Exclude<ResponsesRequest["input"], string>[number];
