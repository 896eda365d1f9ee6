import { afterEach, beforeEach, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { createToolset, invokeTool, type Toolset } from "../../src/tools/index.ts";
import { execLimitMechanism } from "../../src/tools/exec/exec-tool.ts";
import { describeLimits, detectLimitMechanism, parseByteSize } from "../../src/tools/exec/limits.ts";
import { context, makeDirs } from "./helpers.ts";

let dirs: Awaited<ReturnType<typeof makeDirs>>;
let toolset: Toolset;

beforeEach(async () => {
  dirs = await makeDirs();
  toolset = createToolset({
    workspace: dirs.workspace,
    stateDir: dirs.stateDir,
    config: { tools: { exec: { sandbox: "auto", memory: "64m", pidsLimit: 16 } } },
    env: { PATH: process.env.PATH },
  });
});

afterEach(async () => {
  toolset.dispose();
  await dirs.cleanup();
});

const run = (command: string) => invokeTool(toolset.tools, "exec", { command }, context(dirs.workspace));
const mechanism = execLimitMechanism();
const cgroups = mechanism.kind === "cgroup-v1" || mechanism.kind === "cgroup-v2";

// These hold on machines where the gateway may create cgroups (this project's machines, as root, cgroup v1).
test.if(cgroups)("a command that allocates past tools.exec.memory is stopped", async () => {
  const result = await run(`awk 'BEGIN { s = "x"; while (length(s) < 200000000) s = s s; print "survived" }'`);
  expect(result.content).not.toContain("survived");
  expect(result.isError).toBe(true);
});

test.if(cgroups)("a command cannot start more processes than tools.exec.pidsLimit", async () => {
  const result = await run("for i in $(seq 1 40); do sleep 2 & done 2>&1; echo started; kill $(jobs -p) 2>/dev/null; true");
  expect(result.content.toLowerCase()).toContain("fork");
});

test.if(cgroups)("each call runs in its own cgroup, which is removed when the call ends", async () => {
  // Outside bubblewrap, so the command sees the host's cgroup names (the sandbox has its own cgroup namespace).
  const host = createToolset({ workspace: dirs.workspace, stateDir: dirs.stateDir, config: { tools: { exec: { sandbox: "off" } } }, env: { PATH: process.env.PATH } });
  const result = await invokeTool(host.tools, "exec", { command: "cat /proc/self/cgroup" }, context(dirs.workspace));
  const leaf = /openclaw-exec-[0-9]+-[0-9a-f]+-[0-9]+/.exec(result.content)?.[0];
  expect(leaf).toBeDefined();
  await Bun.sleep(50);
  const roots = mechanism.kind === "cgroup-v1" ? [mechanism.memoryDir, mechanism.pidsDir] : mechanism.kind === "cgroup-v2" ? [mechanism.dir] : [];
  expect(roots.filter((d) => existsSync(`${d}/${leaf}`))).toEqual([]);
});

const V1_MOUNTS = "cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\ncgroup /sys/fs/cgroup/pids cgroup rw,pids 0 0\ncgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n";
const files = (table: Record<string, string>) => (file: string) => {
  if (file in table) return table[file]!;
  throw new Error("ENOENT");
};

test("cgroup v1 memory and pids controllers are used when the gateway may create cgroups in them", () => {
  const found = detectLimitMechanism({
    readFile: files({ "/proc/self/mounts": V1_MOUNTS, "/proc/self/cgroup": "5:memory:/svc\n3:pids:/svc\n0::/svc\n" }),
    canCreate: () => true,
    which: () => null,
  });
  expect(found).toEqual({ kind: "cgroup-v1", memoryDir: "/sys/fs/cgroup/memory/svc", pidsDir: "/sys/fs/cgroup/pids/svc" });
  expect(describeLimits(found, { memoryBytes: 1024 ** 3, pids: 256 })).toContain("holds for root");
});

test("a delegated cgroup v2 is used with memory.max and pids.max", () => {
  const found = detectLimitMechanism({
    readFile: files({ "/proc/self/mounts": "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n", "/proc/self/cgroup": "0::/user.slice/user-1000.slice/user@1000.service/app.slice\n" }),
    canCreate: (dir, needed) => dir.endsWith("app.slice") && needed.includes("memory.max"),
    which: () => null,
  });
  expect(found).toEqual({ kind: "cgroup-v2", dir: "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice" });
});

test("without a writable cgroup, systemd-run makes the scope; without that, prlimit caps address space and says processes are not capped", () => {
  const base = { readFile: files({ "/proc/self/mounts": "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n", "/proc/self/cgroup": "0::/x\n" }), canCreate: () => false };
  expect(detectLimitMechanism({ ...base, which: (b) => `/usr/bin/${b}`, trySystemdRun: () => true }).kind).toBe("systemd-run");
  const fallback = detectLimitMechanism({ ...base, which: (b) => (b === "prlimit" ? "/usr/bin/prlimit" : null) });
  expect(fallback).toEqual({ kind: "prlimit", bin: "/usr/bin/prlimit" });
  expect(describeLimits(fallback, { memoryBytes: 1024 ** 3, pids: 256 })).toContain("number of processes is not capped");
});

test("memory sizes read as docker writes them", () => {
  expect([parseByteSize("1g"), parseByteSize("512m"), parseByteSize("64MiB"), parseByteSize(4096), parseByteSize("lots")]).toEqual([1024 ** 3, 512 * 1024 ** 2, 64 * 1024 ** 2, 4096, undefined]);
});
