// `npm run release`: dist/openclaw-linux-x64 and dist/openclaw-linux-arm64, dist/install.sh and dist/SHA256SUMS.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "./build.ts";

const dist = join(import.meta.dir, "dist");
mkdirSync(dist, { recursive: true });
const files: string[] = [];
for (const target of ["linux-x64", "linux-arm64"]) {
  const { outfile, bytes, ms } = await build({ target, outfile: join(dist, `openclaw-${target}`), minify: true, bytecode: true });
  console.log(`built ${outfile} (${(bytes / 1048576).toFixed(1)} MB) in ${(ms / 1000).toFixed(1)} s`);
  files.push(outfile);
}
const installer = join(dist, "install.sh");
copyFileSync(join(import.meta.dir, "scripts", "install.sh"), installer);
chmodSync(installer, 0o755);
files.push(installer);
const sums = await Promise.all(files.map(async (f) => `${new Bun.CryptoHasher("sha256").update(await Bun.file(f).bytes()).digest("hex")}  ${basename(f)}`));
writeFileSync(join(dist, "SHA256SUMS"), `${sums.join("\n")}\n`);
console.log(`wrote ${join(dist, "SHA256SUMS")}`);
