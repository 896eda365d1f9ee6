/** What the page reads of a `skills.status` entry. */
interface SkillRow {
  name: string;
  description: string;
  source: string;
  pluginId?: string;
  filePath: string;
  emoji?: string;
  eligible: boolean;
  /** Why it is not active (or, when active, why the model does not see it), in words. */
  reasons: string[];
}

/** What the page reads of `skills.status`. */
export interface SkillsReport {
  workspaceDir: string;
  skills: SkillRow[];
  diagnostics: { path: string; message: string }[];
}

/** The skills section of the Plugins & Skills page: the default agent's skills, active or why not. */
export function SkillsList({ report }: { report: SkillsReport }) {
  const { skills } = report;
  return (
    <>
      <h2 class="section-title">Skills</h2>
      {skills.length === 0 ? (
        <p class="empty">
          No skills found. Put a <code>SKILL.md</code> in <code>skills/&lt;name&gt;/</code> of the workspace (<code>{report.workspaceDir}</code>).
        </p>
      ) : null}
      <ul class="cards">
        {skills.map((s) => (
          <li key={s.filePath} class="card" data-skill={s.name}>
            <div class="card-title">
              <strong>
                {s.emoji ? `${s.emoji} ` : ""}
                {s.name}
              </strong>
              <span class={`pill pill-${s.eligible ? "ok" : "off"}`}>{s.eligible ? "active" : "inactive"}</span>
            </div>
            <p class="hint">{s.description}</p>
            <dl class="facts">
              <dt>Source</dt>
              <dd>
                {s.source}
                {s.pluginId ? ` (plugin ${s.pluginId})` : ""} · <code>{s.filePath}</code>
              </dd>
              {s.reasons.length > 0 ? (
                <>
                  <dt>{s.eligible ? "Note" : "Why not"}</dt>
                  <dd class="reason">{s.reasons.join("; ")}</dd>
                </>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>
      {report.diagnostics.length ? (
        <ul class="warnings" aria-label="Skill files not used">
          {report.diagnostics.map((d) => (
            <li key={d.path + d.message}>
              <code>{d.path}</code>: {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
