import type { ServerWebSocket } from "bun";

/** One Web API call the fake answered; `args` are the form (or JSON) fields. */
export interface SlackCall {
  method: string;
  args: Record<string, any>;
  token: string;
  at: number;
}

/** A message the bot posted with chat.postMessage. */
export interface SlackPost {
  channel: string;
  text: string;
  ts: string;
  thread_ts?: string;
  unfurl_links?: string;
  at: number;
}

export interface FakeSlackOptions {
  bot?: { userId: string; botId: string; name: string };
  team?: { id: string; name: string };
}

interface Failure {
  method: string;
  status?: number;
  retryAfter?: number;
  error?: string;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

/**
 * A fake Slack on 127.0.0.1 (port 0): the Web API under `/api/` (form or JSON bodies, bearer tokens) with auth.test,
 * apps.connections.open, chat.postMessage/update, conversations.open, users.info, reactions.*, the files.uploadV2
 * trio and private file downloads; and the Socket Mode WebSocket (`hello`, `events_api` envelopes, `{envelope_id}`
 * acks, `disconnect`). `apiUrl` is what `channels.slack.apiUrl` / `SLACK_API_URL` take.
 */
export function startFakeSlack(options: FakeSlackOptions = {}) {
  const botToken = "xoxb-fake-bot-token";
  const appToken = "xapp-fake-app-token";
  const bot = options.bot ?? { userId: "UBOT0001", botId: "BBOT0001", name: "claw" };
  const team = options.team ?? { id: "T0000001", name: "Test Team" };
  const calls: SlackCall[] = [];
  const posts: SlackPost[] = [];
  const edits: { channel: string; ts: string; text: string; at: number }[] = [];
  const uploads: { id: string; filename: string; bytes: number; channel?: string; thread_ts?: string }[] = [];
  const acks = new Map<string, number>();
  const sent = new Map<string, number>();
  const failures: Failure[] = [];
  const files = new Map<string, { bytes: Uint8Array; type: string }>();
  const sockets = new Set<ServerWebSocket<unknown>>();
  const stats = { connections: 0, opens: 0 };
  let clock = 1_700_000_000;
  let seq = 0;
  const nextTs = () => `${clock + ++seq}.${String(seq).padStart(6, "0")}`;

  async function argsOf(request: Request): Promise<Record<string, any>> {
    const raw = await request.text();
    if (request.headers.get("content-type")?.includes("json")) return raw ? JSON.parse(raw) : {};
    return Object.fromEntries(new URLSearchParams(raw));
  }

  function api(method: string, args: Record<string, any>, token: string): Response {
    const failure = failures.findIndex((f) => f.method === method);
    if (failure !== -1) {
      const f = failures.splice(failure, 1)[0]!;
      if (f.status === 429) return json({ ok: false, error: "ratelimited" }, 429, { "Retry-After": String(f.retryAfter ?? 1) });
      return json({ ok: false, error: f.error ?? "internal_error" }, f.status ?? 200);
    }
    const expected = method === "apps.connections.open" ? appToken : botToken;
    if (token !== expected) return json({ ok: false, error: "invalid_auth" });
    switch (method) {
      case "auth.test":
        return json({ ok: true, url: "https://test.slack.com/", team: team.name, team_id: team.id, user: bot.name, user_id: bot.userId, bot_id: bot.botId });
      case "apps.connections.open":
        stats.opens++;
        return json({ ok: true, url: `ws://127.0.0.1:${server.port}/socket?ticket=${stats.opens}` });
      case "chat.postMessage": {
        const ts = nextTs();
        posts.push({ channel: args.channel, text: args.text ?? "", ts, thread_ts: args.thread_ts, unfurl_links: args.unfurl_links, at: Date.now() });
        return json({ ok: true, channel: args.channel, ts, message: { text: args.text, ts, user: bot.userId } });
      }
      case "chat.update":
        edits.push({ channel: args.channel, ts: args.ts, text: args.text, at: Date.now() });
        return json({ ok: true, channel: args.channel, ts: args.ts, text: args.text });
      case "conversations.open":
        return json({ ok: true, channel: { id: `D${String(args.users).slice(1)}` } });
      case "users.info":
        return json({ ok: true, user: { id: args.user, name: `user-${args.user}`, real_name: `User ${args.user}` } });
      case "reactions.add":
      case "reactions.remove":
        return json({ ok: true });
      case "files.getUploadURLExternal": {
        const id = `F${++seq}`;
        uploads.push({ id, filename: args.filename, bytes: 0 });
        return json({ ok: true, upload_url: `http://127.0.0.1:${server.port}/upload/${id}`, file_id: id });
      }
      case "files.completeUploadExternal": {
        const list = JSON.parse(args.files) as { id: string }[];
        for (const f of list) Object.assign(uploads.find((u) => u.id === f.id) ?? {}, { channel: args.channel_id, thread_ts: args.thread_ts });
        return json({ ok: true, files: list.map((f) => ({ id: f.id, name: uploads.find((u) => u.id === f.id)?.filename })) });
      }
      default:
        return json({ ok: false, error: "unknown_method" });
    }
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    async fetch(request, srv) {
      const url = new URL(request.url);
      if (url.pathname === "/socket") {
        if (srv.upgrade(request)) return undefined;
        return new Response("upgrade expected", { status: 400 });
      }
      if (url.pathname.startsWith("/upload/")) {
        const upload = uploads.find((u) => u.id === url.pathname.slice("/upload/".length));
        if (!upload) return new Response("no such upload", { status: 404 });
        // The SDK posts the bytes as a multipart form (as Slack's upload URLs take them); a raw body works too.
        if (request.headers.get("content-type")?.includes("multipart/form-data")) {
          const file = [...(await request.formData()).values()].find((v) => typeof v !== "string") as Blob | undefined;
          upload.bytes = file?.size ?? 0;
        } else upload.bytes = (await request.arrayBuffer()).byteLength;
        return new Response("OK - " + upload.bytes);
      }
      if (url.pathname.startsWith("/files/")) {
        if (request.headers.get("authorization") !== `Bearer ${botToken}`) return new Response("login page", { status: 302, headers: { location: "https://slack.com/" } });
        const file = files.get(url.pathname.slice("/files/".length));
        return file ? new Response(new Blob([file.bytes as Uint8Array<ArrayBuffer>]), { headers: { "content-type": file.type } }) : new Response("not found", { status: 404 });
      }
      if (!url.pathname.startsWith("/api/")) return new Response("not found", { status: 404 });
      const method = url.pathname.slice("/api/".length);
      const args = await argsOf(request);
      const token = (request.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "") || String(args.token ?? "");
      calls.push({ method, args, token, at: Date.now() });
      return api(method, args, token);
    },
    websocket: {
      open(ws) {
        stats.connections++;
        sockets.add(ws);
        ws.send(JSON.stringify({ type: "hello", num_connections: sockets.size, connection_info: { app_id: "A0000001" } }));
      },
      message(_ws, data) {
        const frame = JSON.parse(String(data)) as { envelope_id?: string };
        if (frame.envelope_id && !acks.has(frame.envelope_id)) acks.set(frame.envelope_id, Date.now());
      },
      close(ws) {
        sockets.delete(ws);
      },
    },
  });
  // Slack pings its sockets; the client gives up on a silent server after 30 s.
  const pinger = setInterval(() => sockets.forEach((ws) => ws.ping()), 5000);

  return {
    botToken,
    appToken,
    bot,
    team,
    apiUrl: `http://127.0.0.1:${server.port}/api/`,
    url: `http://127.0.0.1:${server.port}`,
    calls,
    posts,
    edits,
    uploads,
    acks,
    stats,
    connected: () => sockets.size > 0,
    /** Sends one event over the live socket as an `events_api` envelope; returns its envelope id. */
    pushEvent(event: Record<string, unknown>, extra: { eventId?: string; retryAttempt?: number } = {}): string {
      const envelope = `env-${++seq}`;
      const payload = eventCallback(event, { eventId: extra.eventId, teamId: team.id });
      const frame = { envelope_id: envelope, type: "events_api", accepts_response_payload: false, retry_attempt: extra.retryAttempt ?? 0, retry_reason: extra.retryAttempt ? "timeout" : "", payload };
      const live = [...sockets];
      if (live.length === 0) throw new Error("fake Slack: no Socket Mode connection to push to");
      live.at(-1)!.send(JSON.stringify(frame));
      sent.set(envelope, Date.now());
      return envelope;
    },
    /** Milliseconds from sending an envelope to its ack, once acked. */
    ackDelay: (envelope: string) => (acks.has(envelope) ? acks.get(envelope)! - sent.get(envelope)! : undefined),
    /** Asks the client to reconnect, as Slack does before recycling a socket. */
    disconnect(reason = "refresh_requested") {
      for (const ws of sockets) ws.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake" } }));
    },
    /** The next call of `method` fails: `{status: 429, retryAfter}` or a Slack `error` code. */
    failNext(method: string, failure: Omit<Failure, "method">) {
      failures.push({ method, ...failure });
    },
    /** A private file served at `url_private` (download needs the bot token). */
    addFile(name: string, bytes: Uint8Array, type: string) {
      files.set(name, { bytes, type });
      return `http://127.0.0.1:${server.port}/files/${name}`;
    },
    stop() {
      clearInterval(pinger);
      server.stop(true);
    },
  };
}

export type FakeSlack = ReturnType<typeof startFakeSlack>;

/** The Events API body of one event (what Socket Mode wraps and what HTTP mode POSTs). */
export function eventCallback(event: Record<string, unknown>, extra: { eventId?: string; teamId?: string } = {}) {
  return {
    token: "verification-token",
    team_id: extra.teamId ?? "T0000001",
    api_app_id: "A0000001",
    event,
    type: "event_callback",
    event_id: extra.eventId ?? `Ev${crypto.randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
  };
}

/** Signs a body as Slack does: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${new Bun.CryptoHasher("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}
