import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pinnedRequest } from "../../src/tools/web-fetch/pinned-request.ts";

let dir: string;
let server: ReturnType<typeof Bun.serve>;
let ca: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "pinned-"));
  const made = Bun.spawnSync(
    ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem", "-out", "c.pem", "-days", "1", "-subj", "/CN=site.test", "-addext", "subjectAltName=DNS:site.test"],
    { cwd: dir, stderr: "ignore" },
  );
  if (made.exitCode !== 0) throw new Error("openssl is needed to make the test certificate");
  ca = await Bun.file(path.join(dir, "c.pem")).text();
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    tls: { key: Bun.file(path.join(dir, "k.pem")), cert: Bun.file(path.join(dir, "c.pem")) },
    fetch: (request) => new Response(`host=${request.headers.get("host")}`),
  });
});

afterAll(async () => {
  server.stop(true);
  await rm(dir, { recursive: true, force: true });
});

const fetchPinned = (name: string) => {
  const pinned = pinnedRequest(new URL(`https://${name}:${server.port}/`), "127.0.0.1");
  return fetch(pinned.target, { headers: pinned.headers, tls: { ...pinned.tls, ca } } as RequestInit);
};

test("an https request pinned to an address still verifies the certificate against the original name", async () => {
  const response = await fetchPinned("site.test");
  expect(await response.text()).toBe(`host=site.test:${server.port}`);
});

test("an https request pinned to an address fails when the certificate is for another name", async () => {
  await expect(fetchPinned("other.test")).rejects.toThrow("other.test");
});
