import { AUTH_CHOICES } from "./choices.ts";
import type { OnboardPlan } from "./options.ts";

export const ONBOARD_HELP = `Usage: openclaw onboard [options]

Sets up a model, the gateway, the workspace and optionally a chat app and the service. Asks on a terminal;
scripts pass --non-interactive --accept-risk and flags (OpenClaw's names). An existing config is changed only
with --force (or a yes on the terminal), and a copy of it is kept first.

  --non-interactive --accept-risk   run without questions (both needed)
  --auth-choice <choice>            ${AUTH_CHOICES.map((c) => c.id).join(" | ")}
  --anthropic-api-key | --openai-api-key | --gemini-api-key | --openrouter-api-key | --deepseek-api-key <key>
                                    (or the provider's env var: ANTHROPIC_API_KEY, OPENAI_API_KEY, ...)
  --custom-base-url <url>           a local or custom server (ollama, lmstudio, vllm, custom-api-key)
  --custom-model-id <id>            its model (omit to ask the server for its models)
  --custom-api-key <key>            its key, if it needs one (or CUSTOM_API_KEY); --lmstudio-api-key for LM Studio
  --custom-provider-id <id>         the provider id (default: from the URL's host; "local" for 127.0.0.1)
  --custom-compatibility <mode>     openai (default) | openai-responses | anthropic
  --model <provider/model>          the primary model (ours; default: the provider's default)
  --secret-input-mode <mode>        plaintext (default) | ref: store {source:"env",provider:"default",id:<ENV>}
  --gateway-port <port>             default 18789
  --gateway-bind <mode>             loopback (default) | lan | tailnet | auto | custom
  --gateway-auth <token|password>   --gateway-token <t> | --gateway-token-ref-env <ENV> | --gateway-password <p>
                                    (default: keep the existing one, else generate a token)
  --workspace <dir>                 default ~/.openclaw/workspace
  --skip-bootstrap                  no starter files (AGENTS.md, SOUL.md, ...); sets agents.defaults.skipBootstrap
  --telegram-bot-token <token>      connect Telegram (ours; or TELEGRAM_BOT_TOKEN with --secret-input-mode ref)
  --discord-bot-token <token>       connect Discord (ours; or DISCORD_BOT_TOKEN)
  --skip-channels                   ask for no chat app
  --install-daemon                  install and start the service (gateway install); --skip-daemon: do not
  --skip-health                     do not check whether the gateway answers
  --force                           update an existing config (ours)
  --json                            print a JSON summary`;

/** What to run next, as printed at the end of onboarding (commands work as printed: absolute path if not on PATH). */
export function nextSteps(input: { command: string; plan: OnboardPlan; port: number; daemonInstalled: boolean; healthy?: boolean }): string {
  const { command, plan, port } = input;
  const lines = [""];
  if (plan.auth) lines.push(`Model: ${plan.model ?? `${plan.auth.providerId} (its models are asked from ${plan.auth.baseUrl})`}`);
  else lines.push(`No model yet: run ${command} onboard again, or see ${command} models list.`);
  if (plan.gateway.auth?.mode === "token" && plan.gateway.auth.generated) lines.push(`Gateway token: generated (read it with: ${command} config get gateway.auth.token).`);
  if (input.healthy === true) lines.push(`The gateway is running on http://127.0.0.1:${port}/ and picks up the new config by itself.`);
  else if (input.healthy === false && input.daemonInstalled) lines.push(`The service is installed but the gateway did not answer on http://127.0.0.1:${port}/healthz within 15 s: see ${command} logs and ${command} gateway status.`);
  lines.push("Next:");
  if (!input.daemonInstalled && input.healthy !== true) lines.push(`  ${command} up                      # run the gateway in the foreground (or: ${command} gateway install)`);
  lines.push(`  ${command} agent -m "hello"        # talk to the agent`);
  lines.push(`  ${command} status                  # what is configured and running`);
  if (plan.channels.telegram || plan.channels.discord) lines.push(`  Message your bot, then: ${command} pairing list   and   ${command} pairing approve <channel> <CODE>`);
  lines.push(`  Control UI: http://127.0.0.1:${port}/ (sign in with the gateway token)`);
  return lines.join("\n");
}
