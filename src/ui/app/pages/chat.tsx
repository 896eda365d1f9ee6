import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { applyChatEvent, applyToolEvent, itemsFromHistory, type ChatItem, type HistoryMessage } from "../chat-state.ts";
import { currentSession } from "../current-session.ts";
import { call, connState, errorText, onGatewayEvent } from "../gateway.ts";
import { renderMarkdown } from "../markdown.ts";
import { ChatBar } from "./chat-bar.tsx";

/** An idempotency key; crypto.randomUUID needs a secure context, which a LAN http:// page is not. */
function uid(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function pretty(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

function ToolStep({ item }: { item: Extract<ChatItem, { kind: "tool" }> }) {
  const status = item.running ? "running…" : item.isError ? "failed" : "done";
  return (
    <details class={`tool${item.isError ? " tool-error" : ""}`}>
      <summary>
        <span class="tool-icon" aria-hidden="true">
          ⚙
        </span>{" "}
        <span class="tool-name">{item.name}</span> <span class="tool-status">{status}</span>
      </summary>
      {item.args !== undefined ? (
        <div class="tool-part">
          <div class="tool-label">Arguments</div>
          <pre>{pretty(item.args)}</pre>
        </div>
      ) : null}
      {item.output && item.result === undefined ? (
        <div class="tool-part">
          <div class="tool-label">Output so far</div>
          <pre>{item.output}</pre>
        </div>
      ) : null}
      {item.result !== undefined ? (
        <div class="tool-part">
          <div class="tool-label">{item.isError ? "Error" : "Result"}</div>
          <pre>{item.result}</pre>
        </div>
      ) : null}
    </details>
  );
}

function Item({ item }: { item: ChatItem }) {
  switch (item.kind) {
    case "user":
      return (
        <div class="msg user">
          <div class="who">You</div>
          <div class="body plain">{item.text}</div>
        </div>
      );
    case "assistant":
      return (
        <div class={`msg assistant${item.streaming ? " streaming" : ""}`} aria-busy={item.streaming}>
          <div class="who">Assistant</div>
          <div class="body md" dangerouslySetInnerHTML={{ __html: renderMarkdown(item.text) }} />
        </div>
      );
    case "tool":
      return <ToolStep item={item} />;
    case "notice":
      return <p class={`notice notice-${item.tone}`}>{item.text}</p>;
  }
}

export function ChatPage() {
  const sessionKey = currentSession.value;
  const open = connState.value === "open";
  const [items, setItems] = useState<ChatItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState("");
  const [model, setModel] = useState<string | undefined>(undefined);
  const [defaultModel, setDefaultModel] = useState<string | undefined>(undefined);
  const [loadError, setLoadError] = useState("");
  const logRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  // The history load in flight: a message waits for it, or its reply (a command's is not in the history) could arrive
  // first and be overwritten when the history lands.
  const historyLoad = useRef<Promise<void>>(Promise.resolve());
  const loadHistory = () => (historyLoad.current = readHistory());
  const readHistory = async () => {
    try {
      const history = await call<{ messages: HistoryMessage[] }>("chat.history", { sessionKey });
      setItems(itemsFromHistory(history.messages));
      setLoadError("");
      const info = await call<{ session: { busy?: boolean; modelOverride?: string | null; defaultModel?: string } }>("sessions.get", { key: sessionKey }).catch(() => undefined);
      setBusy(info?.session.busy ?? false);
      setModel(info?.session.modelOverride ?? undefined);
      if (info?.session.defaultModel) setDefaultModel(info.session.defaultModel);
    } catch (e) {
      setLoadError(errorText(e));
    }
  };

  useEffect(() => {
    setItems([]);
    setModel(undefined);
    if (!open) return;
    void loadHistory();
  }, [sessionKey, open]);

  useEffect(() => {
    const offChat = onGatewayEvent("chat", (e) => {
      if (e?.sessionKey !== sessionKey) return;
      setItems((prev) => applyChatEvent(prev, e));
      if (e.state === "delta") setBusy(true);
      else setBusy(false);
    });
    const offTool = onGatewayEvent("session.tool", (e) => {
      if (e?.sessionKey !== sessionKey) return;
      setItems((prev) => applyToolEvent(prev, e));
    });
    const offChanged = onGatewayEvent("sessions.changed", (e) => {
      if (e?.key === sessionKey && (e.reason === "reset" || e.reason === "deleted" || e.reason === "compacted")) void loadHistory();
    });
    return () => {
      offChat();
      offTool();
      offChanged();
    };
  }, [sessionKey]);

  useLayoutEffect(() => {
    const el = logRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [items]);

  const send = async () => {
    const message = draft.trim();
    if (!message || !open) return;
    setDraft("");
    await historyLoad.current;
    setItems((prev) => [...prev, { kind: "user", text: message }]);
    setBusy(true);
    stick.current = true;
    try {
      const res = await call<{ runId: string; command?: string }>("chat.send", { sessionKey, message, idempotencyKey: uid() });
      if (res.command === "new" || res.command === "reset") {
        await loadHistory();
        setItems((prev) => [...prev, { kind: "notice", text: "New session started.", tone: "info" }]);
        setBusy(/^\/\w+\s+\S/.test(message));
      } else if (res.command === "stop") setBusy(false);
    } catch (e) {
      setBusy(false);
      setItems((prev) => [...prev, { kind: "notice", text: `Not sent: ${errorText(e)}`, tone: "error" }]);
    }
  };

  const abort = async () => {
    try {
      await call("chat.abort", { sessionKey });
    } catch (e) {
      setItems((prev) => [...prev, { kind: "notice", text: `Stop failed: ${errorText(e)}`, tone: "error" }]);
    }
  };

  return (
    <section class="chat" aria-labelledby="chat-title">
      <h1 id="chat-title" class="sr-only">
        Chat
      </h1>
      <ChatBar
        sessionKey={sessionKey}
        open={open}
        model={model}
        defaultModel={defaultModel}
        onModel={setModel}
        onNotice={(text, tone) => setItems((prev) => [...prev, { kind: "notice", text, tone }])}
      />
      <div
        class="log"
        ref={logRef}
        role="log"
        aria-live="polite"
        aria-label={`Messages in ${sessionKey}`}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {loadError ? (
          <p class="notice notice-error" role="alert">
            Could not load the history: {loadError}
          </p>
        ) : null}
        {items.length === 0 && !loadError ? <p class="empty">No messages yet. Say hello, or type /new to start over.</p> : null}
        {items.map((item, i) => (
          <Item key={i} item={item} />
        ))}
      </div>
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label for="message" class="sr-only">
          Message
        </label>
        <textarea
          id="message"
          rows={2}
          placeholder="Message (Enter to send, Shift+Enter for a new line)"
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <div class="composer-actions">
          <button type="submit" disabled={!open || !draft.trim()}>
            Send
          </button>
          {busy ? (
            <button type="button" class="danger" onClick={abort}>
              Stop
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
