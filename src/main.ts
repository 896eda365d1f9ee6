// The binary's entry point and the one place that wires the gateway together. The CLI runs when this file is
// the entry; `startGateway` is imported (lazily) by `openclaw up` / `openclaw gateway run` and by tests.
import type { LoadedConfig } from "./config/load.ts";
import type { Paths } from "./config/paths.ts";
import type { GatewaySettings } from "./gateway/settings.ts";
import type { GatewayLogger } from "./log.ts";

export interface StartOptions {
  paths: Paths;
  loaded: LoadedConfig;
  env: Record<string, string | undefined>;
  log: GatewayLogger;
  flags?: { port?: number; bind?: GatewaySettings["bind"] };
}

/** Builds every part the config asks for, registers their methods and routes, and starts listening. */
export async function startGateway(options: StartOptions) {
  const [{ createGateway }, { registerCoreMethods }, { mountControlUi }, { getUiAsset }] = await Promise.all([
    import("./gateway/create.ts"),
    import("./gateway/core-methods.ts"),
    import("./gateway/http.ts"),
    import("./ui/assets.ts"),
  ]);
  const gateway = createGateway({ ...options });
  registerCoreMethods(gateway);
  gateway.methods.register("logs.tail", {
    scope: "operator.read",
    handler: (params: { limit?: number }) => ({ lines: options.log.tail(Math.min(Number(params?.limit) || 200, 1000)) }),
  });
  mountControlUi(gateway.app, getUiAsset);
  gateway.listen();
  gateway.markReady();
  return gateway;
}

if (import.meta.main) {
  const { runCli } = await import("./cli/index.ts");
  await runCli(process.argv.slice(2));
}
