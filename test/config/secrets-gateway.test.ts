// SecretRefs in a running gateway: the resolved token authenticates, and no answer ever carries a resolved value.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectGateway } from "../../src/protocol/client.ts";
import { startE2e, TOKEN, type E2e } from "../e2e/helpers.ts";

let e2e: E2e;
let secretsDir: string;
beforeAll(async () => {
  secretsDir = mkdtempSync(join(tmpdir(), "oc-secrets-"));
  const file = join(secretsDir, "secrets.json");
  writeFileSync(file, JSON.stringify({ gateway: { token: TOKEN } }));
  chmodSync(file, 0o600);
  e2e = await startE2e({
    config: {
      secrets: { providers: { vault: { source: "file", path: file } } },
      gateway: { auth: { mode: "token", token: { source: "file", provider: "vault", id: "/gateway/token" } } },
    },
  });
});
afterAll(async () => {
  await e2e.stop();
  rmSync(secretsDir, { recursive: true, force: true });
});

test("a gateway token given as a file SecretRef authenticates clients", async () => {
  const client = await connectGateway({ url: e2e.wsUrl, token: TOKEN, scopes: ["operator.read"] });
  expect((await client.request<{ ok: boolean }>("health")).ok).toBe(true);
  client.close();
});

test("config.get shows the reference as written and never the resolved value, even to an admin", async () => {
  const file = await e2e.log.client.request<{ raw: string; config: any }>("config.get", {});
  expect(JSON.stringify(file)).not.toContain(TOKEN);
  expect(file.config.gateway.auth.token).toBe("__OPENCLAW_REDACTED__");
  expect(file.raw).toContain('"/gateway/token"');
});
