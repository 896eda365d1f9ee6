import { useEffect, useState } from "preact/hooks";
import { GatewayClientError } from "../../../protocol/client.ts";
import { call, errorText, onGatewayEvent } from "../gateway.ts";
import { useLoader } from "../use-loader.ts";

interface ConfigFile {
  path: string;
  exists: boolean;
  raw: string;
  hash: string;
}

type Outcome = { tone: "ok" | "error"; text: string } | null;

export function ConfigPage() {
  const file = useLoader(() => call<ConfigFile>("config.get"));
  const [text, setText] = useState("");
  const [baseHash, setBaseHash] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [saving, setSaving] = useState(false);
  const [changedOnDisk, setChangedOnDisk] = useState(false);

  useEffect(() => {
    if (!file.data) return;
    setText(file.data.raw || "{\n}\n");
    setBaseHash(file.data.hash);
    setChangedOnDisk(false);
  }, [file.data]);
  useEffect(() => onGatewayEvent("config.changed", () => setChangedOnDisk(true)), []);

  const dirty = file.data !== undefined && text !== (file.data.raw || "{\n}\n");

  const save = async () => {
    setSaving(true);
    setOutcome(null);
    try {
      // The gateway parses and validates against the schema before it writes; an invalid file is never saved.
      const res = await call<{ hash: string; path: string }>("config.set", { raw: text, baseHash });
      setBaseHash(res.hash);
      setOutcome({ tone: "ok", text: `Saved ${res.path}. Changes are applied as the gateway reloads its config.` });
      await file.reload();
    } catch (e) {
      const invalid = e instanceof GatewayClientError && e.code === "INVALID_REQUEST";
      setOutcome({ tone: "error", text: invalid ? `Not saved: ${e.message}` : `Save failed: ${errorText(e)}` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="config" aria-labelledby="config-title">
      <div class="page-head">
        <h1 id="config-title">Config</h1>
        <button type="button" class="secondary" onClick={file.reload} disabled={file.loading}>
          Reload
        </button>
      </div>
      {file.error ? <p class="error" role="alert">{file.error}</p> : null}
      {changedOnDisk ? (
        <p class="banner" role="status">
          The config changed since you opened it. Reload to see the new version (unsaved edits here would be lost).
        </p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label for="config-text">
          {file.data ? <code>{file.data.path}</code> : "openclaw.json"} {file.data && !file.data.exists ? "(does not exist yet)" : ""} — JSON5
        </label>
        <textarea
          id="config-text"
          class="code-editor"
          spellcheck={false}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key === "s") {
              e.preventDefault();
              void save();
            }
          }}
        />
        {outcome ? (
          <p class={outcome.tone === "ok" ? "ok" : "error"} role={outcome.tone === "ok" ? "status" : "alert"} data-outcome={outcome.tone}>
            {outcome.text}
          </p>
        ) : null}
        <div class="actions">
          <button type="submit" disabled={saving || !file.data}>
            {saving ? "Saving…" : "Validate and save"}
          </button>
          {dirty ? <span class="hint">unsaved changes (Ctrl+S saves)</span> : null}
        </div>
      </form>
    </section>
  );
}
