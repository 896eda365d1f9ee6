import { afterAll, beforeAll, expect, test } from "bun:test";
import { startApi, TOKEN, type Api } from "./harness.ts";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stop();
});

async function curl(args: string[]): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(["curl", "-sS", "--max-time", "10", ...args], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out: out + err };
}
const auth = ["-H", `Authorization: Bearer ${TOKEN}`, "-H", "Content-Type: application/json"];
const body = (extra: object = {}) => JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }], ...extra });

test("curl gets a JSON completion", async () => {
  const { code, out } = await curl([...auth, "-d", body(), `${api.url}/v1/chat/completions`]);
  expect(code).toBe(0);
  expect(JSON.parse(out).choices[0].message.content).toBe("Hello from the fake model.");
});

test("curl -N streams SSE chunks ending with [DONE]", async () => {
  const { code, out } = await curl(["-N", ...auth, "-d", body({ stream: true }), `${api.url}/v1/chat/completions`]);
  expect(code).toBe(0);
  const events = out.split("\n\n").filter(Boolean);
  expect(events.at(-1)).toBe("data: [DONE]");
  const text = events
    .slice(0, -1)
    .map((e) => JSON.parse(e.slice("data: ".length)))
    .map((c) => c.choices[0]?.delta?.content ?? "")
    .join("");
  expect(text).toBe("Hello from the fake model.");
});

test("curl lists the models", async () => {
  const { out } = await curl(["-H", `Authorization: Bearer ${TOKEN}`, `${api.url}/v1/models`]);
  expect(JSON.parse(out).data.map((m: { id: string }) => m.id)).toContain("openclaw");
});

test("curl without a token sees a 401 with an OpenAI error body", async () => {
  const { out } = await curl(["-w", "\n%{http_code}", "-H", "Content-Type: application/json", "-d", body(), `${api.url}/v1/chat/completions`]);
  const [json, status] = out.split("\n");
  expect(status).toBe("401");
  expect(JSON.parse(json!).error.code).toBe("invalid_api_key");
});
