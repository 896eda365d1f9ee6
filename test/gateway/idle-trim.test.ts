import { expect, test } from "bun:test";
import { createIdleTrim, executableMappings, linuxTrimOps, type TrimOps } from "../../src/gateway/idle-trim.ts";

const EXE = "/home/pi/.local/bin/open claw";
const MAPS = [
  `00200000-01a39000 r--p 00000000 08:01 1234 ${EXE}`,
  `01a40000-0684a000 r-xp 01838000 08:01 1234 ${EXE}`,
  `06867000-08639000 rw-p 0665e000 08:01 1234 ${EXE}`,
  "30b32000-30b53000 rw-p 00000000 00:00 0 [heap]",
  "7f596c9f7000-7f596cb4d000 r-xp 00026000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6",
  `7f596cbb3000-7f596cbbb000 rw-s 00000000 08:01 77 ${EXE}.db-shm`,
  "7f596cbbe000-7f596cbc2000 r--p 00000000 00:00 0 [vvar]",
].join("\n");

test("only the executable's own mappings are selected, a path with spaces and a replaced file included", () => {
  expect(executableMappings(MAPS, EXE)).toEqual([
    { start: 0x200000n, length: 0x1a39000n - 0x200000n },
    { start: 0x1a40000n, length: 0x684a000n - 0x1a40000n },
    { start: 0x6867000n, length: 0x8639000n - 0x6867000n },
  ]);
  const replaced = `00200000-00300000 r--p 00000000 08:01 1234 ${EXE} (deleted)`;
  expect(executableMappings(replaced, EXE)).toEqual([{ start: 0x200000n, length: 0x100000n }]);
  expect(executableMappings(MAPS, "/usr/bin/other")).toEqual([]);
});

function fakeOps(refuse = false) {
  let rss = 40_000;
  const advised: bigint[] = [];
  const ops: TrimOps = {
    maps: () => MAPS,
    fileRssKb: () => rss,
    pageout: (start, length) => {
      advised.push(start);
      if (refuse) return -1;
      rss -= Number(length / 1024n) / 10;
      return 0;
    },
  };
  return { ops, advised };
}

test("a trim pages out each mapping of the executable and reports the file-backed kB released", async () => {
  const { ops, advised } = fakeOps();
  const lines: string[] = [];
  const trim = createIdleTrim({ log: { debug: (m) => lines.push(m) }, executable: EXE, ops });
  const released = await trim();
  expect(advised).toEqual([0x200000n, 0x1a40000n, 0x6867000n]);
  expect(released).toBeGreaterThan(0);
  expect(lines[0]).toContain("3 mappings");
  expect(lines[0]).toContain("0 refused");
});

test("refused advice is counted, not thrown", async () => {
  const lines: string[] = [];
  const trim = createIdleTrim({ log: { debug: (m) => lines.push(m) }, executable: EXE, ops: fakeOps(true).ops });
  expect(await trim()).toBe(0);
  expect(lines[0]).toContain("3 refused");
});

test("without the operations (no bun:ffi, another libc) a trim does nothing and says why once", async () => {
  const lines: string[] = [];
  let loads = 0;
  const trim = createIdleTrim({
    log: { debug: (m) => lines.push(m) },
    executable: EXE,
    ops: async () => {
      loads++;
      throw new Error("libc.so.6: cannot open shared object file");
    },
  });
  expect(await trim()).toBeUndefined();
  expect(await trim()).toBeUndefined();
  expect(loads).toBe(1);
  expect(lines).toEqual(["idle trim unavailable: libc.so.6: cannot open shared object file"]);
});

test.if(process.platform === "linux")("the real operations read this process's maps and call madvise through libc", async () => {
  const ops = (await linuxTrimOps())!;
  expect(ops.fileRssKb()).toBeGreaterThan(0);
  const own = executableMappings(ops.maps(), process.execPath);
  expect(own.length).toBeGreaterThan(0);
  // A length of zero is a valid no-op for madvise: 0 proves the call reaches the kernel with the right arguments;
  // an unaligned start must be refused (EINVAL).
  expect(ops.pageout(own[0]!.start, 0n)).toBe(0);
  expect(ops.pageout(own[0]!.start + 1n, 4096n)).toBe(-1);
});
