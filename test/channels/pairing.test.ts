import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChannelError } from "../../src/channels/errors.ts";
import { createPairingStore, PAIRING_ALPHABET } from "../../src/channels/pairing.ts";
import { inbound } from "./helpers.ts";

function setup(start = 1_000_000) {
  let now = start;
  const db = new Database(":memory:");
  const store = createPairingStore(db, { now: () => now });
  return { db, store, advance: (ms: number) => void (now += ms) };
}

describe("pairing store", () => {
  test("an unknown sender gets an 8-character code from the unambiguous alphabet", () => {
    const { store } = setup();
    const outcome = store.request(inbound());
    expect(outcome.kind).toBe("new-code");
    if (outcome.kind !== "new-code") return;
    expect(outcome.code).toMatch(new RegExp(`^[${PAIRING_ALPHABET}]{8}$`));
    expect(outcome.code).not.toMatch(/[0O1I]/);
    expect(outcome.reply).toContain(`openclaw pairing approve telegram ${outcome.code}`);
  });

  test("a pending sender writing again gets no new code and is held too", () => {
    const { store } = setup();
    const first = store.request(inbound());
    const second = store.request(inbound());
    expect(second).toEqual({ kind: "pending", code: (first as { code: string }).code, reply: null });
    expect(store.list("telegram")[0]!.heldCount).toBe(2);
  });

  test("the code is re-sent to a pending sender at most once per resend interval", () => {
    const { store, advance } = setup();
    store.request(inbound());
    advance(11 * 60 * 1000);
    const again = store.request(inbound());
    expect(again.kind === "pending" && again.reply).toContain("Pairing code");
    expect(store.request(inbound())).toMatchObject({ kind: "pending", reply: null });
  });

  test("a fourth sender is refused and nothing of theirs is held", () => {
    const { store } = setup();
    for (const id of ["1", "2", "3"]) store.request(inbound({ senderId: id }));
    const fourth = store.request(inbound({ senderId: "4" }));
    expect(fourth.kind).toBe("too-many");
    expect(store.list().map((r) => r.senderId)).toEqual(["1", "2", "3"]);
  });

  test("approve allowlists the sender and returns the held messages in order", () => {
    const { store } = setup();
    const a = inbound({ text: "first" });
    const outcome = store.request(a);
    store.request(inbound({ text: "second" }));
    const approval = store.approve("telegram", (outcome as { code: string }).code.toLowerCase());
    expect(approval.held.map((m) => m.text)).toEqual(["first", "second"]);
    expect(store.isApproved("telegram", "default", "42")).toBe(true);
    expect(store.list()).toEqual([]);
  });

  test("an expired code is refused with a message that says it expired", () => {
    const { store, advance } = setup();
    const outcome = store.request(inbound());
    advance(60 * 60 * 1000 + 1);
    let error: unknown;
    try {
      store.approve("telegram", (outcome as { code: string }).code);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).code).toBe("pairing-expired");
    expect((error as Error).message).toContain("expired");
    expect(store.isApproved("telegram", "default", "42")).toBe(false);
  });

  test("an unknown code is refused as not found", () => {
    const { store } = setup();
    expect(() => store.approve("telegram", "ABCDEFGH")).toThrow(/No pending telegram pairing request/);
  });

  test("claimApprovals hands each approval and its held messages over exactly once", () => {
    const { store } = setup();
    const outcome = store.request(inbound({ text: "held" }));
    store.approve("telegram", (outcome as { code: string }).code, { notify: true });
    const claimed = store.claimApprovals();
    expect(claimed).toHaveLength(1);
    expect(claimed[0]!.notify).toBe(true);
    expect(claimed[0]!.held.map((m) => m.text)).toEqual(["held"]);
    expect(store.claimApprovals()).toEqual([]);
  });

  test("an approval made through another connection to the same file is claimed", () => {
    const dir = mkdtempSync(join(tmpdir(), "pairing-"));
    const path = join(dir, "state.db");
    const gatewayDb = new Database(path);
    gatewayDb.exec("PRAGMA journal_mode=WAL");
    const gateway = createPairingStore(gatewayDb);
    const outcome = gateway.request(inbound({ text: "from afar" }));
    const cli = createPairingStore(new Database(path));
    cli.approve("telegram", (outcome as { code: string }).code);
    expect(gateway.claimApprovals()[0]!.held[0]!.text).toBe("from afar");
    rmSync(dir, { recursive: true, force: true });
  });
});
