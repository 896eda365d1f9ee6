import { afterAll, beforeAll, expect, test } from "bun:test";
import { rawSocket, startTestGateway, type TestGateway } from "../gateway/helpers.ts";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.stop());

test("hostile frames after auth get error responses and the connection and process keep working", async () => {
  const s = rawSocket(gw.wsUrl);
  expect((await s.connect()).ok).toBe(true);
  s.ws.send(new Uint8Array([0xff, 0xfe, 0xc3, 0x28, 0x80]));
  s.send(`{"type":"req","id":"deep","method":"config.patch","params":{"patch":${"{\"a\":".repeat(20_000)}1${"}".repeat(20_000)}}}`);
  s.send(`${"[".repeat(200_000)}${"]".repeat(200_000)}`);
  s.send({ type: "req", id: "proto", method: "sessions.list", params: JSON.parse('{"__proto__": {"limit": 5}, "constructor": {"prototype": {"x": 1}}}') });
  s.send({ type: "req", id: "nan", method: "chat.history", params: { sessionKey: "agent:main:main", limit: 1e308 } });
  s.send({ type: "req", id: 7, method: "health" });
  const deep = await s.response("deep", 10_000);
  expect(deep.ok).toBe(false);
  expect((await s.response("nan")).error?.code).toBe("INVALID_REQUEST");
  expect((await s.response("proto")).ok).toBe(true);
  s.send({ type: "req", id: "after", method: "health" });
  expect((await s.response("after")).ok).toBe(true);
  expect(s.closeInfo).toBeUndefined();
  expect(({} as Record<string, unknown>).x).toBeUndefined();
  s.close();
});
