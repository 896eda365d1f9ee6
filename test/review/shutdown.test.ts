import { expect, test } from "bun:test";
import { join } from "node:path";

test("after stop() (twice) the process has nothing left running and exits by itself", async () => {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "fixtures", "start-stop.ts")], { stdout: "pipe", stderr: "pipe" });
  const exited = await Promise.race([proc.exited, Bun.sleep(8000).then(() => "still running" as const)]);
  if (exited === "still running") proc.kill();
  const out = await new Response(proc.stdout).text();
  const err = await new Response(proc.stderr).text();
  expect({ exited, out: out.trim(), err: err.trim().slice(-500) }).toEqual({ exited: 0, out: "stopped twice", err: "" });
}, 15_000);
