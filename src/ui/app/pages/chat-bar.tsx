import { useEffect, useState } from "preact/hooks";
import { newSessionKey, openSession } from "../current-session.ts";
import { call, errorText, onGatewayEvent } from "../gateway.ts";

interface SessionRow {
  key: string;
  label?: string | null;
  updatedAt: number;
}

/** "agent:main:webchat-2026…" → "webchat-2026…" (the agent part is the same for most sessions). */
function shortKey(key: string): string {
  const m = /^agent:[^:]+:(.+)$/.exec(key);
  return m ? m[1]! : key;
}

/**
 * The Chat page's pickers: which session (from `sessions.list`, newest first, plus a new one) and which model it
 * uses (from `models.list`; `sessions.patch {model}` keeps the choice for the session, as `/model` does).
 */
export function ChatBar(props: { sessionKey: string; open: boolean; model?: string; defaultModel?: string; onModel(model: string | undefined): void; onNotice(text: string, tone: "info" | "error"): void }) {
  const { sessionKey, open } = props;
  const [sessions, setSessions] = useState<SessionRow[]>([]);
  const [models, setModels] = useState<string[]>([]);

  const loadSessions = () =>
    call<{ sessions: SessionRow[] }>("sessions.list", { limit: 200 }).then(
      (r) => setSessions(r.sessions),
      () => {},
    );
  useEffect(() => {
    if (!open) return;
    void loadSessions();
    void call<{ models: { ref: string }[] }>("models.list").then(
      (r) => setModels(r.models.map((m) => m.ref)),
      () => {},
    );
  }, [open, sessionKey]);
  useEffect(() => onGatewayEvent("sessions.changed", () => void loadSessions()), []);

  const rows = sessions.some((s) => s.key === sessionKey) ? sessions : [{ key: sessionKey, updatedAt: Date.now(), label: "new" }, ...sessions];
  const choices = props.model && !models.includes(props.model) ? [props.model, ...models] : models;

  const pickModel = async (value: string) => {
    const model = value || undefined;
    try {
      await call("sessions.patch", { key: sessionKey, model: model ?? null });
      props.onModel(model);
      props.onNotice(model ? `This session now uses ${model}.` : `Back to the agent's model${props.defaultModel ? ` (${props.defaultModel})` : ""}.`, "info");
    } catch (e) {
      props.onNotice(`Model not changed: ${errorText(e)}`, "error");
    }
  };

  return (
    <div class="session-bar">
      <label class="picker">
        <span>Session</span>
        <select id="session-pick" value={sessionKey} onChange={(e) => openSession(e.currentTarget.value)} title={sessionKey}>
          {rows.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label && s.label !== "new" ? `${s.label} (${shortKey(s.key)})` : s.label === "new" ? `${shortKey(s.key)} (new)` : shortKey(s.key)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" class="secondary" onClick={() => openSession(newSessionKey())}>
        New session
      </button>
      <label class="picker">
        <span>Model</span>
        <select id="model-pick" value={props.model ?? ""} onChange={(e) => void pickModel(e.currentTarget.value)} disabled={!open}>
          <option value="">{props.defaultModel ? `Default (${props.defaultModel})` : "Agent default"}</option>
          {choices.map((ref) => (
            <option key={ref} value={ref}>
              {ref}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
