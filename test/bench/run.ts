// `npm run bench`: runs every test/bench/*.ts except this file, one after another, each in its own process.
// Benchmarks print numbers and assert nothing; this exits non-zero only if one of them crashed.
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";

const self = basename(import.meta.path);
const files = readdirSync(import.meta.dir)
  .filter((f) => f.endsWith(".ts") && f !== self)
  .sort();
let crashed = 0;
for (const file of files) {
  console.log(`\n== bench ${file} ==`);
  const proc = Bun.spawn([process.execPath, "run", join(import.meta.dir, file)], { stdout: "inherit", stderr: "inherit" });
  const code = await proc.exited;
  if (code !== 0) {
    crashed++;
    console.log(`bench ${file} exited with ${code}`);
  }
}
console.log(`\n${files.length - crashed} of ${files.length} benchmarks ran`);
process.exit(crashed > 0 ? 1 : 0);
