import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gatewayCaller } from "../../../src/cli/gateway-call.ts";
import { captureIo } from "../../../src/cli/io.ts";
import { runMessage } from "../../../src/cli/message.ts";
import { until } from "../../e2e/helpers.ts";
import { ALICE_DM, GENERAL, startSlackE2e, type SlackE2e } from "./helpers.ts";

let e2e: SlackE2e | undefined;
afterEach(async () => {
  await e2e?.stop();
  e2e = undefined;
});

const open = { dmPolicy: "open", allowFrom: ["*"], streaming: "off" };
// The smallest valid PNG (1x1).
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

describe("slack files and typing", () => {
  test("an image shared in a DM is downloaded with the bot token and reaches the model as an image", async () => {
    e2e = await startSlackE2e({ slack: open });
    const url = e2e.slack.addFile("dot.png", PNG, "image/png");
    e2e.dm("look", { subtype: "file_share", files: [{ id: "F1", name: "dot.png", mimetype: "image/png", size: PNG.length, url_private: url, url_private_download: url }] });
    await until(() => e2e!.slack.posts.length === 1, 5000, "the answer");
    expect(JSON.stringify(e2e.llm.requests[0]!.body.messages)).toContain(`data:image/png;base64,${Buffer.from(PNG).toString("base64")}`);
  });

  test("a file over mediaMaxMb is not downloaded and the model is told why", async () => {
    e2e = await startSlackE2e({ slack: { ...open, mediaMaxMb: 1 } });
    const url = e2e.slack.addFile("huge.zip", new Uint8Array(16), "application/zip");
    e2e.dm("a big one", { subtype: "file_share", files: [{ id: "F2", name: "huge.zip", mimetype: "application/zip", size: 3 * 1024 * 1024, url_private: url }] });
    await until(() => e2e!.slack.posts.length === 1, 5000, "the answer");
    expect(JSON.stringify(e2e.llm.requests[0]!.body.messages)).toContain("huge.zip not downloaded: 3.0 MB is over the 1 MB limit (mediaMaxMb)");
  });

  test("openclaw message send --media uploads the file with files.uploadV2 into the channel", async () => {
    e2e = await startSlackE2e({ slack: { mediaMaxMb: 1 } });
    const small = join(e2e.stateDir, "report.txt");
    const large = join(e2e.stateDir, "large.bin");
    writeFileSync(small, "quarterly numbers");
    writeFileSync(large, new Uint8Array(2 * 1024 * 1024));
    const cli = captureIo({ OPENCLAW_STATE_DIR: e2e.stateDir, HOME: e2e.stateDir, OPENCLAW_GATEWAY_URL: e2e.wsUrl });
    const call = gatewayCaller(cli.io);
    expect(await runMessage(["send", "--channel", "slack", "--target", `channel:${GENERAL}`, "--message", "see file", "--media", small], cli.io, { callGateway: call })).toBe(0);
    expect(e2e.slack.posts.map((p) => p.text)).toEqual(["see file"]);
    expect(e2e.slack.uploads).toEqual([expect.objectContaining({ filename: "report.txt", bytes: 17, channel: GENERAL })]);
    expect(await runMessage(["send", "--channel", "slack", "--target", `channel:${GENERAL}`, "--media", large], cli.io, { callGateway: call })).toBe(1);
    expect(cli.stderr()).toContain("large.bin: 2.0 MB is over the 1 MB limit (mediaMaxMb)");
  });

  test("typingReaction marks the message being answered and is removed once the answer is sent", async () => {
    e2e = await startSlackE2e({ slack: { ...open, typingReaction: ":hourglass_flowing_sand:" }, llm: { script: () => ({ text: "done thinking", delayMs: 100 }) } });
    const stamp = e2e.dm("think about it");
    await until(() => e2e!.slack.calls.some((c) => c.method === "reactions.remove"), 5000, "the reaction removed");
    const added = e2e.slack.calls.filter((c) => c.method === "reactions.add");
    expect(added.map((c) => [c.args.channel, c.args.timestamp, c.args.name])).toEqual([[ALICE_DM, stamp, "hourglass_flowing_sand"]]);
    expect(e2e.slack.posts.map((p) => p.text)).toEqual(["done thinking"]);
  });
});
