import { call } from "../gateway.ts";
import { useLoader } from "../use-loader.ts";

/** What the page reads of a `skills.status` entry (OpenClaw's shape). */
interface SkillRow {
  name: string;
  description: string;
  source: string;
  pluginId?: string;
  filePath: string;
  emoji?: string;
  disabled: boolean;
  eligible: boolean;
  overriddenBy?: string;
  missing: Record<string, string[]>;
}

const MISSING_LABEL: Record<string, string> = { bins: "programs", anyBins: "one of the programs", env: "environment variables", config: "config keys", os: "operating system" };

/** Why the agent does not get a skill, in words; undefined when it does. */
function whyNot(s: SkillRow): string | undefined {
  if (s.overriddenBy) return `hidden by ${s.overriddenBy}`;
  if (s.disabled) return "disabled in skills.entries";
  const missing = Object.entries(s.missing).filter(([, list]) => list.length > 0);
  if (missing.length > 0) return `needs ${missing.map(([kind, list]) => `${MISSING_LABEL[kind] ?? kind}: ${list.join(", ")}`).join("; ")}`;
  return s.eligible ? undefined : "not eligible";
}

/** The skills section of the Plugins & Skills page (shown when the gateway offers `skills.status`). */
export function SkillsList() {
  const list = useLoader(() => call<{ skills: SkillRow[]; diagnostics?: { path: string; message: string }[] }>("skills.status"));
  const skills = list.data?.skills ?? [];
  return (
    <>
      <h2 class="section-title">Skills</h2>
      {list.error ? <p class="error" role="alert">{list.error}</p> : null}
      {list.data && skills.length === 0 ? (
        <p class="empty">
          No skills found. Put a <code>SKILL.md</code> in <code>skills/&lt;name&gt;/</code> of the agent's workspace.
        </p>
      ) : null}
      <ul class="cards">
        {skills.map((s) => {
          const why = whyNot(s);
          return (
            <li key={s.filePath} class="card" data-skill={s.name}>
              <div class="card-title">
                <strong>
                  {s.emoji ? `${s.emoji} ` : ""}
                  {s.name}
                </strong>
                <span class={`pill pill-${why ? "off" : "ok"}`}>{why ? "inactive" : "active"}</span>
              </div>
              <p class="hint">{s.description}</p>
              <dl class="facts">
                <dt>Source</dt>
                <dd>
                  {s.source}
                  {s.pluginId ? ` (plugin ${s.pluginId})` : ""} · <code>{s.filePath}</code>
                </dd>
                {why ? (
                  <>
                    <dt>Why not</dt>
                    <dd class="reason">{why}</dd>
                  </>
                ) : null}
              </dl>
            </li>
          );
        })}
      </ul>
      {list.data?.diagnostics?.length ? (
        <ul class="warnings" aria-label="Skill files not used">
          {list.data.diagnostics.map((d) => (
            <li key={d.path + d.message}>
              <code>{d.path}</code>: {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
