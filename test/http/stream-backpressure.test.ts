import { afterEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import net from "node:net";
import { startApi, TOKEN, waitFor, type Api } from "./harness.ts";

const apis: Api[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.stop();
});

/** Starts a streamed chat completion on a raw socket that never reads. */
function neverReadingClient(api: Api, body: object) {
  const url = new URL(api.url);
  const json = JSON.stringify(body);
  const socket = net.connect(Number(url.port), url.hostname, () => {
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    socket.pause();
  });
  socket.on("error", () => {});
  return { socket };
}

// A long answer the fake streams for over 6 s: 3,000 deltas of 16 KB, 2 ms apart.
const LONG = `${"x".repeat(16_000)} `.repeat(3000);
const slowStream = { text: LONG, delayMs: 2 };

/**
 * Whether this process still holds the gateway's end of the client's connection: a socket the process closed is
 * either gone from /proc/net/tcp or orphaned (inode 0) while the kernel still tries to deliver what the client never
 * read, followed by the FIN.
 */
function serverEndHeld(gatewayPort: number, clientPort: number): boolean {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, "0");
  return readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .some((f) => f[1]?.endsWith(`:${hex(gatewayPort)}`) && f[2]?.endsWith(`:${hex(clientPort)}`) && f[9] !== "0");
}

// What matters first is that the gateway stops pulling the run and lets it go, so nothing piles up in memory behind
// the socket; then that it closes the connection too (Bun keeps it open otherwise: the request's idle timeout is off
// for streams, so the drop sets it back to one second).
test("a stream whose client reads nothing stops pulling, its run ends after gateway.http.streamStallTimeoutMs, and its connection is closed", async () => {
  const api = await startApi({ fake: slowStream, config: { gateway: { http: { streamStallTimeoutMs: 300 } } } });
  apis.push(api);
  const client = neverReadingClient(api, { model: "openclaw", stream: true, messages: [{ role: "user", content: "talk" }] });
  await waitFor(() => api.fake.openStreams() === 1, 3000, "the model stream to start");
  const gatewayPort = Number(new URL(api.url).port);
  if (process.platform === "linux") expect(serverEndHeld(gatewayPort, client.socket.localPort!)).toBe(true);
  await waitFor(() => api.fake.openStreams() === 0, 3000, "the stalled run to be let go");
  if (process.platform === "linux") await waitFor(() => !serverEndHeld(gatewayPort, client.socket.localPort!), 10_000, "the gateway to close its end of the connection");
  client.socket.destroy();
}, 20_000);

test("a session stream whose client reads nothing is dropped too, and its session run is stopped", async () => {
  const api = await startApi({ fake: slowStream, config: { gateway: { http: { streamStallTimeoutMs: 300 } } } });
  apis.push(api);
  const client = neverReadingClient(api, { model: "openclaw", user: "slow-reader", stream: true, messages: [{ role: "user", content: "talk" }] });
  await waitFor(() => api.fake.openStreams() === 1, 3000, "the model stream to start");
  await waitFor(() => api.api.pendingRuns() === 0 && api.fake.openStreams() === 0, 3000, "the stalled run to be let go");
  const key = api.store.list()[0]!.key;
  const run = api.store.openRuns();
  expect(run).toEqual([]);
  expect(api.store.history(key).map((e) => e.message.role)).toEqual(["user"]);
  client.socket.destroy();
});

test("a client that reads slowly but steadily gets the whole stream", async () => {
  const api = await startApi({ fake: { text: "word ".repeat(50_000) }, config: { gateway: { http: { streamStallTimeoutMs: 300 } } } });
  apis.push(api);
  const res = await fetch(`${api.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "openclaw", stream: true, messages: [{ role: "user", content: "talk" }] }),
  });
  const reader = res.body!.getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
    await Bun.sleep(2);
  }
  expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
});
