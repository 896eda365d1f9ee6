import { connectGateway, GatewayClientError, type GatewayClient } from "../protocol/client.ts";
import { VERSION } from "../version.ts";
import { cliContext, gatewayTarget, loadCliConfig } from "./context.ts";
import type { CliIo } from "./io.ts";

export interface CallFlags {
  url?: string;
  token?: string;
  timeoutMs?: number;
}

/**
 * Opens the shared WS client to the running gateway, runs `use`, and closes. Prints a clear message and
 * returns exit code 1 when no gateway is running or the call fails.
 */
export async function withGateway(io: CliIo, flags: CallFlags, use: (client: GatewayClient) => Promise<number>): Promise<number> {
  const ctx = cliContext(io);
  let target;
  try {
    target = gatewayTarget(ctx, loadCliConfig(ctx), flags);
  } catch (error) {
    target = gatewayTarget(ctx, undefined, flags);
    // Without the config there is no token to send: say what is wrong instead of letting the gateway refuse us.
    if (target.token === undefined && target.password === undefined) {
      io.err(`Cannot talk to the gateway: the config is invalid, so its token cannot be read.\n${(error as Error).message}`);
      return 1;
    }
    io.err(`warning: ${(error as Error).message}`);
  }
  let client: GatewayClient;
  try {
    client = await connectGateway({
      url: target.url,
      token: target.token,
      password: target.password,
      client: { id: "cli", mode: "cli", version: VERSION, platform: process.platform },
      timeoutMs: flags.timeoutMs ?? 10_000,
    });
  } catch (error) {
    const e = error as GatewayClientError;
    if (e.code === "CONNECT_FAILED") io.err(`No gateway is running at ${target.url}. Start one with \`openclaw up\` (or \`openclaw gateway run\`).`);
    else if (e.code === "UNAUTHORIZED") io.err(`The gateway at ${target.url} refused the token: check gateway.auth.token or OPENCLAW_GATEWAY_TOKEN.`);
    else io.err(`Cannot connect to the gateway at ${target.url}: ${e.message}`);
    return 1;
  }
  try {
    return await use(client);
  } catch (error) {
    const e = error as GatewayClientError;
    io.err(e.code ? `${e.code}: ${e.message}` : String(error));
    return 1;
  } finally {
    client.close();
  }
}

/**
 * A one-shot caller for commands that also work without a gateway: resolves `undefined` when no gateway
 * answers, the payload otherwise, and rejects with the gateway's error.
 */
export function gatewayCaller(io: CliIo, flags: CallFlags = {}) {
  return async (method: string, params: unknown): Promise<unknown | undefined> => {
    const ctx = cliContext(io);
    let loaded;
    let invalid: Error | undefined;
    try {
      loaded = loadCliConfig(ctx);
    } catch (error) {
      invalid = error as Error;
    }
    const target = gatewayTarget(ctx, loaded, flags);
    if (invalid && target.token === undefined && target.password === undefined) {
      throw new Error(`the config is invalid, so the gateway token cannot be read.\n${invalid.message}`);
    }
    let client: GatewayClient;
    try {
      client = await connectGateway({ url: target.url, token: target.token, password: target.password, client: { id: "cli", mode: "cli", version: VERSION }, timeoutMs: flags.timeoutMs ?? 5_000 });
    } catch (error) {
      if ((error as GatewayClientError).code === "CONNECT_FAILED") return undefined;
      throw error;
    }
    try {
      return await client.request(method, params);
    } finally {
      client.close();
    }
  };
}
