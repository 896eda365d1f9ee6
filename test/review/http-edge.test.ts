import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestGateway, TOKEN, type TestGateway } from "../gateway/helpers.ts";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.stop());

test("a model id with a broken percent escape gets 404 naming the model, not a 500", async () => {
  const res = await fetch(`${gw.httpUrl}/v1/models/%25E0%25A4`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(404);
  expect(((await res.json()) as { error: { param?: string } }).error.param).toBe("model");
});
