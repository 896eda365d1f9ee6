import JSON5 from "json5";

/** What a SKILL.md declares about itself, normalised. */
export interface SkillManifest {
  /** Front matter `name` (empty when absent: the folder name is used then). */
  name: string;
  description: string;
  /** `metadata.openclaw` (or the legacy `metadata.clawdbot`), normalised. */
  requires: SkillRequirements;
  /** `metadata.openclaw.os`: the skill is only eligible on these platforms (`darwin`, `linux`, `win32`). */
  os: string[];
  /** `metadata.openclaw.always`: eligible whatever `requires` says (but not on another os). */
  always: boolean;
  /** `metadata.openclaw.skillKey`: the key under `skills.entries` (default: the name). */
  skillKey?: string;
  /** `metadata.openclaw.primaryEnv`: the variable `skills.entries.<key>.apiKey` provides. */
  primaryEnv?: string;
  emoji?: string;
  homepage?: string;
  /** `disable-model-invocation: true` keeps the skill out of the model's prompt. */
  disableModelInvocation: boolean;
  /** `user-invocable` (default true). */
  userInvocable: boolean;
}

export interface SkillRequirements {
  /** Every one must be on PATH. */
  bins: string[];
  /** At least one must be on PATH. */
  anyBins: string[];
  /** Each must be set (in the environment or through `skills.entries.<key>.env` / `apiKey`). */
  env: string[];
  /** Each config path (`a.b.c`) must be truthy. */
  config: string[];
}

export type ParsedSkillFile = { ok: true; manifest: SkillManifest; body: string } | { ok: false; error: string };

const OPENING = /^---[^\S\n]*\n/;
const CLOSING = /(?:^|\n)---[^\S\n]*(?:\n|$)/;

/**
 * Parses a SKILL.md: YAML front matter between `---` lines, then the Markdown body. The `metadata` value may be
 * a YAML mapping, an inline JSON/JSON5 object, or a string holding one (OpenClaw accepts all three).
 * A plain `description:` containing `": "` (invalid YAML) is read as a string, as OpenClaw does.
 */
export function parseSkillFile(text: string): ParsedSkillFile {
  const normalized = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const open = OPENING.exec(normalized);
  if (!open) return { ok: false, error: "no front matter: SKILL.md must start with a --- line, then name: and description:" };
  const tail = normalized.slice(open[0].length);
  const close = CLOSING.exec(tail);
  if (!close) return { ok: false, error: "front matter has no closing --- line" };
  const block = tail.slice(0, close.index);
  const body = tail.slice(close.index + close[0].length);
  const parsed = parseYamlBlock(block);
  if (typeof parsed === "string") return { ok: false, error: `front matter is not valid YAML (${parsed})` };
  return { ok: true, manifest: toManifest(parsed), body };
}

function parseYamlBlock(block: string): Record<string, unknown> | string {
  if (!block.trim()) return {};
  let error = "";
  for (const candidate of [block, quoteFreeformLine(block)]) {
    if (candidate === undefined) break;
    try {
      const value = Bun.YAML.parse(candidate);
      if (isRecord(value)) return value;
      return "it must be a mapping of key: value lines";
    } catch (e) {
      error ||= (e as Error).message;
    }
  }
  return error;
}

/** `description: Use this: when …` is not valid YAML; OpenClaw reads it as the whole line. */
function quoteFreeformLine(block: string): string | undefined {
  const lines = block.split("\n");
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i]!.match(/^(description|summary|read_when):[^\S\n]+(.*\S)\s*$/);
    if (!m || /^["'|>]/.test(m[2]!) || !m[2]!.includes(": ")) continue;
    lines[i] = `${m[1]}: ${JSON.stringify(m[2])}`;
    changed = true;
  }
  return changed ? lines.join("\n") : undefined;
}

function toManifest(fm: Record<string, unknown>): SkillManifest {
  const meta = manifestBlock(fm.metadata);
  const requires = isRecord(meta.requires) ? meta.requires : {};
  return {
    name: scalar(fm.name) ?? "",
    description: scalar(fm.description) ?? "",
    requires: { bins: list(requires.bins), anyBins: list(requires.anyBins), env: list(requires.env), config: list(requires.config) },
    os: list(meta.os),
    always: meta.always === true,
    skillKey: scalar(meta.skillKey) || undefined,
    primaryEnv: scalar(meta.primaryEnv) || undefined,
    emoji: scalar(meta.emoji ?? fm.emoji) || undefined,
    homepage: scalar(meta.homepage ?? fm.homepage ?? fm.website) || undefined,
    disableModelInvocation: bool(fm["disable-model-invocation"]) ?? false,
    userInvocable: bool(fm["user-invocable"]) ?? true,
  };
}

function manifestBlock(metadata: unknown): Record<string, unknown> {
  let value = metadata;
  if (typeof value === "string") {
    try {
      value = JSON5.parse(value);
    } catch {
      return {};
    }
  }
  if (!isRecord(value)) return {};
  for (const key of ["openclaw", "clawdbot"]) if (isRecord(value[key])) return value[key] as Record<string, unknown>;
  return {};
}

/** A list given as an array or as a comma-separated string. */
function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string | number => typeof v === "string" || typeof v === "number").map((v) => String(v).trim()).filter(Boolean);
  if (typeof value === "string") return value.split(",").map((v) => v.trim()).filter(Boolean);
  return [];
}

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function bool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  const s = typeof value === "string" ? value.trim().toLowerCase() : "";
  if (["true", "1", "yes", "on"].includes(s)) return true;
  if (["false", "0", "no", "off"].includes(s)) return false;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
