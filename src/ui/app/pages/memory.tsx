import { useState } from "preact/hooks";
import { call, errorText } from "../gateway.ts";
import { useLoader } from "../use-loader.ts";
import { formatTime } from "./format.ts";
import { PageHead } from "./page-head.tsx";

// Shapes of the memory.* WS methods' answers (src/memory/memory-index.ts).
interface MemoryStatus {
  files: number;
  chunks: number;
  vectors: number;
  mode: "hybrid" | "keyword";
  provider?: string;
  reason?: string;
  embedding?: { done: number; total: number; running: boolean; lastError?: string };
}
interface Hit {
  path: string;
  startLine: number;
  endLine: number;
  heading: string;
  snippet: string;
  score: number;
  matchedBy: ("vector" | "keyword")[];
}
interface SearchAnswer {
  results: Hit[];
  mode: "hybrid" | "keyword";
  warning?: string;
}
interface NoteFile {
  path: string;
  size: number;
  mtimeMs: number;
  chunks: number;
  versions: number;
  deleted: boolean;
}
interface Version {
  version: number;
  createdAt: number;
  reason: string;
  bytes: number;
  added: number;
  removed: number;
}
interface Opened {
  path: string;
  /** The note's text, or undefined when it is deleted (its versions remain). */
  text?: string;
  /** Lines to mark, from a search result. */
  lines?: [number, number];
  versions: Version[];
}

function StatusLine({ s }: { s: MemoryStatus }) {
  const e = s.embedding;
  return (
    <p class="hint" role="status">
      {s.files} notes, {s.chunks} chunks, {s.vectors} vectors · <span class={`pill ${s.mode === "hybrid" ? "pill-ok" : "pill-off"}`}>{s.mode}</span>
      {s.provider ? <> · {s.provider}</> : null}
      {e?.running ? <> · embedding {e.done}/{e.total}</> : null}
      {s.reason ? <> · {s.reason}</> : null}
      {e?.lastError ? <span class="error"> · {e.lastError}</span> : null}
    </p>
  );
}

function Results({ answer, open }: { answer: SearchAnswer; open: (path: string, lines: [number, number]) => void }) {
  return (
    <>
      {answer.warning ? <p class="warnings" role="alert">{answer.warning}</p> : null}
      {answer.results.length === 0 ? <p class="empty">Nothing found.</p> : null}
      <ol class="cards memory-results" aria-label="Search results">
        {answer.results.map((r) => (
          <li key={`${r.path}:${r.startLine}`} class="card">
            <div class="card-title">
              <code>
                {r.path}:{r.startLine}-{r.endLine}
              </code>
              <span class="score" title="hybrid score">
                {r.score.toFixed(3)}
              </span>
              {r.matchedBy.map((m) => (
                <span key={m} class="pill pill-off">
                  {m}
                </span>
              ))}
              <button type="button" class="secondary" onClick={() => open(r.path, [r.startLine, r.endLine])}>
                Open
              </button>
            </div>
            {r.heading ? <p class="hint">{r.heading}</p> : null}
            <pre class="snippet">{r.snippet}</pre>
          </li>
        ))}
      </ol>
    </>
  );
}

function NoteView({ note, restore }: { note: Opened; restore: (version: number) => void }) {
  const latest = note.versions.at(-1)?.version;
  const lines = note.text?.split("\n") ?? [];
  return (
    <section class="card memory-note" aria-label={`Note ${note.path}`}>
      <div class="card-title">
        <code>{note.path}</code>
        {note.text === undefined ? <span class="pill pill-bad">deleted</span> : null}
      </div>
      {note.text !== undefined ? (
        <pre class="note-text">
          {lines.map((line, i) => (
            <span key={i} class={note.lines && i + 1 >= note.lines[0] && i + 1 <= note.lines[1] ? "mark" : undefined}>
              {line}
              {"\n"}
            </span>
          ))}
        </pre>
      ) : null}
      <h3 class="section-title">History</h3>
      <ol class="versions" aria-label="Versions">
        {[...note.versions].reverse().map((v) => (
          <li key={v.version}>
            <strong>v{v.version}</strong> {formatTime(v.createdAt)} · {v.reason} · +{v.added} −{v.removed} lines · {v.bytes} bytes{" "}
            {v.version !== latest ? (
              <button type="button" class="secondary" onClick={() => restore(v.version)}>
                Restore v{v.version}
              </button>
            ) : (
              <span class="hint">current</span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function MemoryPage() {
  // memory.files first: it brings the index up to date, so the status counts what it lists.
  const data = useLoader(async () => {
    const { files } = await call<{ files: NoteFile[] }>("memory.files");
    return { files, status: await call<MemoryStatus>("memory.status") };
  });
  const [query, setQuery] = useState("");
  const [answer, setAnswer] = useState<SearchAnswer>();
  const [note, setNote] = useState<Opened>();
  const [message, setMessage] = useState("");

  const search = async (e: Event) => {
    e.preventDefault();
    if (!query.trim()) return;
    try {
      setAnswer(await call<SearchAnswer>("memory.search", { query }));
      setMessage("");
    } catch (error) {
      setMessage(`Search failed: ${errorText(error)}`);
    }
  };
  const open = async (path: string, lines?: [number, number]) => {
    try {
      const [{ versions }, got] = await Promise.all([
        call<{ versions: Version[] }>("memory.history", { path }),
        call<{ text: string }>("memory.get", { path }).catch(() => undefined),
      ]);
      setNote({ path, text: got?.text, lines, versions });
    } catch (error) {
      setMessage(`Could not open ${path}: ${errorText(error)}`);
    }
  };
  const restore = async (version: number) => {
    if (!note || !confirm(`Write version ${version} of ${note.path} back to the file?`)) return;
    try {
      await call("memory.restore", { path: note.path, version });
      setMessage(`Restored ${note.path} to version ${version} (kept as a new version).`);
      await Promise.all([open(note.path), data.reload()]);
    } catch (error) {
      setMessage(`Restore failed: ${errorText(error)}`);
    }
  };

  return (
    <section class="memory" aria-labelledby="memory-title">
      <PageHead id="memory-title" title="Memory" list={data} message={message}>
        {data.data ? <StatusLine s={data.data.status} /> : null}
      </PageHead>
      <form class="memory-search" role="search" onSubmit={search}>
        <input type="search" aria-label="Search memory" placeholder="Search the notes (e.g. dentist appointment)" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        <button type="submit">Search</button>
      </form>
      {answer ? <Results answer={answer} open={open} /> : null}
      {note ? <NoteView note={note} restore={restore} /> : null}
      <h2 class="section-title">Notes</h2>
      {data.data && data.data.files.length === 0 ? (
        <p class="empty">
          No notes yet: the agent writes <code>MEMORY.md</code> and <code>memory/YYYY-MM-DD.md</code> in its workspace.
        </p>
      ) : null}
      <ul class="note-list" aria-label="Notes">
        {data.data?.files.map((f) => (
          <li key={f.path}>
            <button type="button" class="ghost" onClick={() => open(f.path)}>
              {f.path}
            </button>
            <span class="hint">
              {f.deleted ? "deleted" : `${f.chunks} chunks, ${f.size} bytes, ${formatTime(f.mtimeMs)}`} · {f.versions} versions
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
