import { expect, test } from "bun:test";
import { createEventHub } from "../../src/gateway/events.ts";
import { startTicks } from "../../src/gateway/ws.ts";
import type { EventFrame } from "../../src/protocol/frames.ts";

test("ticks are sent only while a client is connected: none wake an empty hub", async () => {
  const hub = createEventHub();
  const stop = startTicks(hub, 10);
  // Nobody connected: no tick is broadcast, so the sequence number does not move.
  await Bun.sleep(50);
  const frames: EventFrame[] = [];
  hub.add("c1", (frame) => frames.push(frame));
  await Bun.sleep(50);
  expect(frames.length).toBeGreaterThan(0);
  expect(frames[0]).toMatchObject({ event: "tick", seq: 1 });
  hub.remove("c1");
  const seen = frames.length;
  const probe: EventFrame[] = [];
  hub.broadcast("probe", {});
  await Bun.sleep(50);
  hub.add("c2", (frame) => probe.push(frame));
  hub.broadcast("probe", {});
  // Between the two probes nothing else was broadcast: the ticks had stopped with the last client.
  expect(probe[0]!.seq).toBe(frames.at(-1)!.seq! + 2);
  expect(frames.length).toBe(seen);
  stop();
});
