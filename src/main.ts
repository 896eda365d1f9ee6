// The binary's entry point: the CLI. `openclaw up` / `openclaw gateway run` wire the gateway together
// (see gateway/create.ts); everything else loads only the command it runs.
import { runCli } from "./cli/index.ts";

await runCli(process.argv.slice(2));
