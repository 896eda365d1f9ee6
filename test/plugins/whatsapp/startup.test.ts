import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const probe = join(import.meta.dir, "startup-probe.ts");

async function run(channels: Record<string, unknown>, linked = false) {
  const proc = Bun.spawn([process.execPath, probe, JSON.stringify(channels), linked ? "linked" : ""], { cwd: join(import.meta.dir, "../../.."), stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  return JSON.parse(out.trim().split("\n").at(-1)!) as { plugin: boolean; baileys: boolean; qrcode: boolean; status: { detail?: string }[] };
}

describe("whatsapp at start-up", () => {
  test("with no channels.whatsapp section neither the plugin nor Baileys is loaded", async () => {
    expect(await run({})).toMatchObject({ plugin: false, baileys: false, qrcode: false });
  });

  test("a configured but unlinked account loads the small plugin only, and status says how to link", async () => {
    const result = await run({ whatsapp: {} });
    expect(result).toMatchObject({ plugin: true, baileys: false, qrcode: false });
    expect(result.status[0]!.detail).toContain("openclaw channels login --channel whatsapp");
  });

  test("a linked account does load Baileys (the probe sees it), without starting a QR library", async () => {
    const result = await run({ whatsapp: { webSocketUrl: "ws://127.0.0.1:9/ws" } }, true);
    expect(result).toMatchObject({ plugin: true, baileys: true, qrcode: false });
  });
});
