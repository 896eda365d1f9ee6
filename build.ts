// Builds the single-file executable: `bun run build.ts [--target linux-x64|linux-arm64] [--outfile PATH]
// [--no-minify] [--no-bytecode]`. Host build → dist/openclaw; other targets → dist/openclaw-<target>.
//
// Fully offline except for `npm pack` (through npm's own registry config and cache) when cross-compiling:
// - the Bun runtime for a foreign target is @oven/bun-<os>-<arch>@<this Bun's version>, unpacked into .cache/
//   and passed as `compile.executablePath`, so Bun never downloads anything itself;
// - sqlite-vec's vec0.so comes from node_modules for the host, or from `npm pack sqlite-vec-<os>-<arch>@<the
//   installed sqlite-vec version>` for another target. A plugin swaps src/memory/vec0-embedded.ts for a module
//   that imports that file `with { type: "file" }`, which embeds it under /$bunfs/ (see src/memory/sqlite-vec.ts).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = import.meta.dir;
const cacheDir = join(root, ".cache");

interface TargetInfo {
  os: "linux";
  arch: "x64" | "arm64";
  /** npm package holding the Bun runtime for this target. */
  bunPackage: string;
  /** npm package holding sqlite-vec's vec0.so for this target. */
  vecPackage: string;
}

const targets: Record<string, TargetInfo> = {
  "linux-x64": { os: "linux", arch: "x64", bunPackage: "@oven/bun-linux-x64", vecPackage: "sqlite-vec-linux-x64" },
  "linux-arm64": {
    os: "linux",
    arch: "arm64",
    bunPackage: "@oven/bun-linux-aarch64",
    vecPackage: "sqlite-vec-linux-arm64",
  },
};

function fail(message: string): never {
  console.error(`build: ${message}`);
  process.exit(1);
}

async function run(cmd: string[], cwd: string): Promise<string> {
  const proc = Bun.spawn(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`\`${cmd.join(" ")}\` exited with ${code}: ${err.trim() || out.trim()}`);
  return out;
}

/** `npm pack name@version` into .cache/ and unpack it once; returns the unpacked `package/` dir. */
export async function packFromNpm(name: string, version: string): Promise<string> {
  const dir = join(cacheDir, `${name.replace("/", "+")}@${version}`);
  const pkg = join(dir, "package");
  if (existsSync(join(pkg, "package.json"))) return pkg;
  // Unpack into a private dir and rename, so an interrupted or concurrent build never sees half a package.
  const work = join(dir, `.work-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const out = await run(["npm", "pack", `${name}@${version}`, "--silent", "--pack-destination", work], work);
    const tarball = out.trim().split("\n").pop();
    if (!tarball) throw new Error(`npm pack ${name}@${version} printed no tarball name`);
    await run(["tar", "-xzf", tarball], work);
    if (!existsSync(join(pkg, "package.json"))) renameSync(join(work, "package"), pkg);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return pkg;
}

function hostTarget(): string {
  return `${process.platform}-${process.arch}`;
}

function installedVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
    .version;
}

async function resolveTarget(name: string): Promise<{ executablePath?: string; vec0: string }> {
  const info = targets[name];
  if (!info) fail(`unknown --target ${name}; use one of: ${Object.keys(targets).join(", ")}`);
  if (name === hostTarget()) {
    // The running Bun is the runtime for its own platform; its sqlite-vec package is in node_modules.
    return { vec0: join(root, "node_modules", info.vecPackage, "vec0.so") };
  }
  const bunPkg = await packFromNpm(info.bunPackage, Bun.version);
  const vecPkg = await packFromNpm(info.vecPackage, installedVersion("sqlite-vec"));
  return { executablePath: join(bunPkg, "bin", "bun"), vec0: join(vecPkg, "vec0.so") };
}

/** scripts/startup.order.gz (recorded by scripts/startup-order.ts), unpacked into .cache/ for Bun.build. */
function startupOrder(): string | false {
  const packed = join(root, "scripts", "startup.order.gz");
  if (!existsSync(packed)) return false;
  const out = join(cacheDir, "startup.order");
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${out}.${process.pid}`;
  writeFileSync(tmp, Bun.gunzipSync(readFileSync(packed)));
  renameSync(tmp, out);
  return out;
}

export interface BuildOptions {
  target: string;
  outfile: string;
  minify: boolean;
  bytecode: boolean;
}

export async function build(options: BuildOptions): Promise<{ outfile: string; bytes: number; ms: number }> {
  const started = performance.now();
  const { executablePath, vec0 } = await resolveTarget(options.target);
  if (!existsSync(vec0)) fail(`sqlite-vec library missing at ${vec0}; run \`npm install\`.`);
  const embedVec0: Bun.BunPlugin = {
    name: "embed-vec0",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]memory[\\/]vec0-embedded\.ts$/ }, () => ({
        loader: "ts",
        contents:
          `import vec0 from ${JSON.stringify(vec0)} with { type: "file" };\n` +
          `export const vec0EmbeddedPath: string | undefined = vec0;\n`,
      }));
    },
  };
  await (await import("./src/ui/bundle.ts")).bundleUi({ minify: options.minify }); // dist/ui, embedded by src/ui/assets.ts
  const result = await Bun.build({
    entrypoints: [join(root, "src/main.ts")],
    compile: {
      target: `bun-${options.target}` as Bun.Build.CompileTarget,
      outfile: options.outfile,
      ...(executablePath ? { executablePath } : {}),
      // The binary reads its own config and .env (src/config); a stray bunfig/.env in cwd must not change it.
      autoloadBunfig: false,
      autoloadDotenv: false,
      // Start-up code stays in the interpreter (tier-up thresholds x1000) until the gateway is ready and calls
      // Bun.unsafe.setJITPolicy(1) (src/main.ts); CLI commands keep the scale. Idle RSS 61 -> 58 MB alone, and
      // with the bytecode order below 61 -> 53 MB (README, Performance).
      jitPolicy: 1000,
      // The bytecode `gateway run` uses at start, placed together at the front (profile-guided layout): fewer of
      // the executable's pages are read. Profile: scripts/startup-order.ts; one from an older build still applies.
      bytecodeOrder: options.bytecode ? startupOrder() : false,
    },
    minify: options.minify,
    bytecode: options.bytecode,
    format: "esm",
    // Each dynamic import becomes its own chunk, loaded only when imported: `--version` peaks at 29.6 MB RSS
    // instead of 39.4 MB, because commands and the gateway's parts are no longer all loaded at start.
    splitting: true,
    plugins: [embedVec0],
    loader: { ".so": "file" },
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    fail("Bun.build failed (see the messages above).");
  }
  return { outfile: options.outfile, bytes: statSync(options.outfile).size, ms: performance.now() - started };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Bun.argv.slice(2),
    options: {
      target: { type: "string" },
      outfile: { type: "string" },
      "no-minify": { type: "boolean", default: false },
      "no-bytecode": { type: "boolean", default: false },
    },
  });
  const target = (values.target ?? hostTarget()).replace(/^bun-/, "");
  const defaultOut = target === hostTarget() ? "dist/openclaw" : `dist/openclaw-${target}`;
  const outfile = resolve(values.outfile ?? join(root, defaultOut));
  try {
    const { bytes, ms } = await build({
      target,
      outfile,
      minify: !values["no-minify"],
      bytecode: !values["no-bytecode"],
    });
    console.log(`built ${outfile} (${target}, ${(bytes / 1048576).toFixed(1)} MB) in ${(ms / 1000).toFixed(1)} s`);
  } catch (error) {
    // Bun.build throws an AggregateError whose `errors` are the bundler's messages (file:line, text).
    const details = error instanceof AggregateError ? error.errors.map(String) : [];
    fail([error instanceof Error ? error.message : String(error), ...details].join("\n  "));
  }
}
