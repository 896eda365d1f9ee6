import type { Prompter } from "../prompt.ts";
import { AUTH_CHOICES, CHANNELS, type ChannelId } from "./choices.ts";
import { impliedChoice, type OnboardValues } from "./options.ts";

/**
 * Asks for what the flags left open, writing the answers into the same flag values the non-interactive path reads
 * (so both paths share every check): provider and key (or a local server's URL and model), a channel token, the
 * workspace, and whether to install the service.
 */
export async function askOnboarding(
  values: OnboardValues,
  env: Record<string, string | undefined>,
  prompter: Prompter,
  defaults: { workspace: string },
): Promise<{ values: OnboardValues; refModelKey: boolean }> {
  const out: OnboardValues = { ...values };
  let refModelKey = false;
  let choice = impliedChoice(values, env);
  if (!choice || values["auth-choice"] === undefined) {
    const fromEnv = AUTH_CHOICES.find((c) => !c.local && c.envKey && env[c.envKey]?.trim());
    const id = await prompter.select(
      "Which model provider?",
      AUTH_CHOICES.map((c) => ({ value: c.id, label: c.label, hint: c.envKey && !c.local && env[c.envKey]?.trim() ? `${c.envKey} is set` : undefined })),
      choice?.id ?? fromEnv?.id ?? "apiKey",
    );
    out["auth-choice"] = id;
    choice = AUTH_CHOICES.find((c) => c.id === id)!;
  }
  if (choice.id !== "skip") {
    const keyFlag = choice.keyFlag as keyof OnboardValues | undefined;
    if (choice.local) {
      if (out["custom-base-url"] === undefined) out["custom-base-url"] = await prompter.text(`Base URL of the ${choice.label} server`, { default: choice.defaultBaseUrl ?? "https://llm.example.com/v1" });
      if (out["custom-model-id"] === undefined) out["custom-model-id"] = await prompter.text("Model id (leave empty to ask the server for its models)", { default: "" });
      if (keyFlag && out[keyFlag] === undefined && !(choice.envKey && env[choice.envKey]?.trim())) {
        const key = await prompter.text("API key (leave empty if the server needs none)", { default: "" });
        if (key) out[keyFlag] = key;
      }
    } else if (keyFlag && out[keyFlag] === undefined) {
      const envKey = choice.envKey!;
      if (env[envKey]?.trim() && out["secret-input-mode"] === undefined) {
        const how = await prompter.select(
          `${envKey} is set. How should the config hold the key?`,
          [
            { value: "ref", label: `As a reference to $${envKey}`, hint: "the gateway needs the variable when it starts (e.g. in ~/.openclaw/.env)" },
            { value: "plaintext", label: "Copy the key into the config file (mode 0600)" },
          ],
          "ref",
        );
        if (how === "ref") refModelKey = true;
        else out[keyFlag] = env[envKey]!.trim();
      } else out[keyFlag] = await prompter.text(`${choice.label}`, { placeholder: "paste the key" });
      if (out.model === undefined) {
        const model = await prompter.text("Model (provider/model)", { default: `${choice.provider}/${choice.defaultModel}` });
        out.model = model;
      }
    }
  }
  if (!out["skip-channels"] && !Object.values(CHANNELS).some((c) => out[c.flag] !== undefined)) {
    const channel = await prompter.select(
      "Connect a chat app now?",
      [{ value: "none", label: "Not now (the Control UI and `openclaw agent` work without one)" }, ...Object.entries(CHANNELS).map(([id, c]) => ({ value: id, label: c.label.replace(/ token.*/, "") }))],
      "none",
    );
    if (channel !== "none") out[CHANNELS[channel as ChannelId].flag] = await prompter.text(CHANNELS[channel as ChannelId].label);
  }
  if (out.workspace === undefined) out.workspace = await prompter.text("Workspace folder (the agent's files)", { default: defaults.workspace });
  if (out["install-daemon"] === undefined && !out["skip-daemon"] && !out["no-install-daemon"]) {
    out["install-daemon"] = await prompter.confirm("Install the gateway as a service that starts at login (systemd user unit / launchd)?", false);
  }
  return { values: out, refModelKey };
}
