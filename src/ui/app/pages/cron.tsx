import { useState } from "preact/hooks";
import type { CronJob, CronRunEntry } from "../../../automation/types.ts";
import { call, errorText } from "../gateway.ts";
import { useLoader } from "../use-loader.ts";
import { formatTime } from "./format.ts";
import { PageHead } from "./page-head.tsx";

const TONE: Record<string, string> = { ok: "ok", error: "bad", skipped: "off" };

/** The schedule in words (the page does not load the cron parser). */
function scheduleText(s: CronJob["schedule"]): string {
  if (s.kind === "at") return `once at ${formatTime(Date.parse(s.at))}`;
  if (s.kind === "every") return `every ${s.everyMs % 3_600_000 === 0 ? `${s.everyMs / 3_600_000} h` : s.everyMs % 60_000 === 0 ? `${s.everyMs / 60_000} min` : `${s.everyMs / 1000} s`}`;
  return `cron ${s.expr}${s.tz ? ` (${s.tz})` : ""}`;
}

function History({ jobId }: { jobId: string }) {
  const runs = useLoader(() => call<{ entries: CronRunEntry[] }>("cron.runs", { id: jobId, limit: 20 }).then((r) => r.entries), [jobId]);
  if (runs.error) return <p class="error">{runs.error}</p>;
  if (!runs.data) return <p class="hint">Loading…</p>;
  if (runs.data.length === 0) return <p class="hint">No runs yet.</p>;
  return (
    <ol class="runs" aria-label="Run history">
      {runs.data.map((r) => (
        <li key={`${r.runId}-${r.ts}`}>
          <span class={`pill pill-${TONE[r.status] ?? "off"}`}>{r.status}</span> {formatTime(r.runAtMs)} · {Math.round(r.durationMs / 100) / 10} s
          {r.trigger && r.trigger !== "schedule" ? ` · ${r.trigger}` : ""}
          {r.deliveryStatus && r.deliveryStatus !== "not-requested" ? ` · ${r.deliveryStatus}` : ""}
          {r.error ? <div class="error reason">{r.error}</div> : r.summary ? <div class="hint">{r.summary.slice(0, 300)}</div> : null}
        </li>
      ))}
    </ol>
  );
}

function AddForm({ onAdded }: { onAdded: (message: string) => void }) {
  const [kind, setKind] = useState<"every" | "cron" | "at">("every");
  const [error, setError] = useState("");
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const when = String(form.get("when") ?? "").trim();
    const minutes = Number(when);
    const schedule =
      kind === "every" ? { kind, everyMs: Math.round(minutes * 60_000) } : kind === "cron" ? { kind, expr: when } : { kind, at: new Date(when).toISOString() };
    try {
      if (kind === "every" && !(minutes > 0)) throw new Error("Give the interval in minutes, e.g. 30.");
      if (kind === "at" && Number.isNaN(Date.parse(when))) throw new Error("Give a date and time.");
      const deliver = form.get("deliver") === "announce";
      const job = await call<CronJob>("cron.add", {
        name: String(form.get("name") ?? ""),
        schedule,
        sessionTarget: "isolated",
        payload: { kind: "agentTurn", message: String(form.get("message") ?? "") },
        delivery: { mode: deliver ? "announce" : "none" },
        ...(kind === "at" ? { deleteAfterRun: true } : {}),
      });
      setError("");
      (event.target as HTMLFormElement).reset();
      onAdded(`Added "${job.name}"; next run ${formatTime(job.state.nextRunAtMs)}.`);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <form class="card cron-add" onSubmit={submit} aria-label="Add a job">
      <div class="card-title">
        <strong>Add a job</strong>
      </div>
      <label>
        Name <input name="name" required />
      </label>
      <label>
        Schedule{" "}
        <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as typeof kind)} aria-label="Schedule kind">
          <option value="every">every N minutes</option>
          <option value="cron">cron expression</option>
          <option value="at">once at</option>
        </select>{" "}
        {kind === "at" ? <input name="when" required type="datetime-local" aria-label="When" /> : <input name="when" required type="text" placeholder={kind === "every" ? "30" : "0 9 * * 1-5"} aria-label="When" />}
      </label>
      <label>
        Message to the agent <textarea name="message" required rows={2} />
      </label>
      <label>
        Answer{" "}
        <select name="deliver" aria-label="Delivery">
          <option value="announce">send to the last chat</option>
          <option value="none">keep in the run history</option>
        </select>
      </label>
      {error ? <p class="error" role="alert">{error}</p> : null}
      <div class="actions">
        <button type="submit">Add</button>
      </div>
    </form>
  );
}

/** Cron jobs: next run, last status, enable/disable, run now, history, remove, and a form to add one. */
export function CronPage() {
  const list = useLoader(() => call<{ jobs: CronJob[]; total: number }>("cron.list", { includeDisabled: true, limit: 200 }));
  const [message, setMessage] = useState("");
  const [open, setOpen] = useState<string | undefined>(undefined);

  const act = async (what: string, job: CronJob, run: () => Promise<unknown>) => {
    if (what === "remove" && !confirm(`Remove the job "${job.name}"?`)) return;
    try {
      await run();
      setMessage(what === "run" ? `Started "${job.name}"; its result appears in its history.` : `${what === "remove" ? "Removed" : what === "enable" ? "Enabled" : "Disabled"} "${job.name}".`);
      await list.reload();
    } catch (e) {
      setMessage(`${what} failed: ${errorText(e)}`);
    }
  };

  return (
    <section aria-labelledby="cron-title">
      <PageHead id="cron-title" title="Cron jobs" list={list} message={message}>
        {list.data ? <p class="hint" role="status">{list.data.total} job(s).</p> : null}
      </PageHead>
      {list.data && list.data.jobs.length === 0 ? <p class="empty">No jobs yet: add one below, with <code>openclaw cron add</code>, or ask the agent to remind you.</p> : null}
      <ul class="cards">
        {list.data?.jobs.map((j) => (
          <li key={j.id} class="card" data-job={j.name}>
            <div class="card-title">
              <strong>{j.name}</strong> <code>{j.id.slice(0, 8)}</code>
              <span class={`pill pill-${j.enabled ? "ok" : "off"}`}>{j.enabled ? "enabled" : "disabled"}</span>
              {j.state.lastRunStatus ? <span class={`pill pill-${TONE[j.state.lastRunStatus] ?? "off"}`}>last: {j.state.lastRunStatus}</span> : null}
            </div>
            <dl class="facts">
              <dt>Schedule</dt>
              <dd>{scheduleText(j.schedule)}</dd>
              <dt>Next run</dt>
              <dd>{j.enabled && j.state.nextRunAtMs ? formatTime(j.state.nextRunAtMs) : "—"}</dd>
              <dt>Last run</dt>
              <dd>{j.state.lastRunAtMs ? formatTime(j.state.lastRunAtMs) : "never"}</dd>
              {j.state.lastError ? <><dt>Last error</dt><dd class="error reason">{j.state.lastError}</dd></> : null}
              <dt>Delivery</dt>
              <dd>{j.delivery?.mode ?? "none"}{j.delivery?.channel ? ` · ${j.delivery.channel}` : ""}{j.delivery?.to && j.delivery.mode !== "webhook" ? ` ${j.delivery.to}` : ""}</dd>
            </dl>
            <div class="actions">
              <button type="button" onClick={() => act("run", j, () => call("cron.run", { id: j.id }))}>
                Run now
              </button>
              <button type="button" class="secondary" onClick={() => act(j.enabled ? "disable" : "enable", j, () => call("cron.update", { id: j.id, patch: { enabled: !j.enabled } }))}>
                {j.enabled ? "Disable" : "Enable"}
              </button>
              <button type="button" class="secondary" aria-expanded={open === j.id} onClick={() => setOpen(open === j.id ? undefined : j.id)}>
                History
              </button>
              <button type="button" class="danger" onClick={() => act("remove", j, () => call("cron.remove", { id: j.id }))}>
                Remove
              </button>
            </div>
            {open === j.id ? <History jobId={j.id} /> : null}
          </li>
        ))}
      </ul>
      <AddForm
        onAdded={(m) => {
          setMessage(m);
          void list.reload();
        }}
      />
    </section>
  );
}
