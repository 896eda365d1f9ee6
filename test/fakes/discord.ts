import type { ServerWebSocket } from "bun";
import { guildCreate, messageObject, snowflake, threadObject, userObject, type FakeGuild, type FakeUser, type InboundSpec } from "./discord-payloads.ts";

export { snowflake, type FakeGuild, type FakeUser, type InboundSpec } from "./discord-payloads.ts";

/** One REST call the fake answered. `body` is the JSON body, or `payload_json` of a multipart upload. */
export interface RestCall {
  method: string;
  path: string;
  body: Record<string, any>;
  files: { name: string; size: number; type: string }[];
  at: number;
  status: number;
}

/** A message the bot posted (the JSON body of POST /channels/<id>/messages). */
export interface PostedMessage {
  channelId: string;
  content: string;
  message_reference?: { message_id: string };
  files: RestCall["files"];
  at: number;
  [key: string]: unknown;
}

export interface FakeDiscordOptions {
  bot?: FakeUser;
  guilds?: FakeGuild[];
  /** Close every IDENTIFY with this code (4014: the bot lacks a privileged intent). */
  identifyCloseCode?: number;
  /** HELLO's heartbeat interval in ms (default 41250, so tests see few heartbeats). */
  heartbeatMs?: number;
  /** On RESUME also replay this many dispatches the client had already seen (Discord may send one twice). */
  resumeOverlap?: number;
}

interface Socket {
  ws: ServerWebSocket<unknown>;
  ready: boolean;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

/**
 * A fake Discord on 127.0.0.1 (port 0): REST under `/api/v10` and the gateway WebSocket at `/gateway` (HELLO,
 * IDENTIFY → READY + GUILD_CREATE, heartbeat ACK, RESUME replaying missed dispatches, then RESUMED). It records what
 * the bot sends, lets a test inject 429s and drop the socket, and serves attachments under `/attachments/`.
 * `apiUrl` is what `DISCORD_API_URL` takes.
 */
export function startFakeDiscord(options: FakeDiscordOptions = {}) {
  const token = "fake-discord-token.abc.def";
  const bot: FakeUser = options.bot ?? { id: "900000000000000001", username: "Claw", bot: true };
  const guilds = options.guilds ?? [];
  const calls: RestCall[] = [];
  const failures: { match: (method: string, path: string) => boolean; status: number; retryAfter: number; global: boolean }[] = [];
  const files = new Map<string, { bytes: Uint8Array; type: string }>();
  const dmChannels = new Map<string, string>();
  const listeners = new Set<() => void>();
  const sockets = new Set<Socket>();
  /** Every dispatch of the current session, with its sequence number (for RESUME). */
  const dispatched: { s: number; t: string; d: unknown }[] = [];
  let seq = 0;
  let sessionId = "";
  const stats = { identifies: 0, resumes: 0, heartbeats: 0, lastIntents: 0 };
  const notify = () => listeners.forEach((l) => l());

  function send(socket: Socket, frame: Record<string, unknown>) {
    socket.ws.send(JSON.stringify(frame));
  }

  /** Sends a dispatch to the live socket (and logs it for a later RESUME, so a dispatch sent while down is replayed). */
  function dispatch(t: string, d: unknown) {
    const s = ++seq;
    dispatched.push({ s, t, d });
    for (const socket of sockets) if (socket.ready) send(socket, { op: 0, t, s, d });
  }

  function ready(socket: Socket) {
    sessionId = crypto.randomUUID();
    seq = 0;
    dispatched.length = 0;
    socket.ready = true;
    dispatch("READY", {
      v: 10,
      user: userObject(bot),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: `ws://127.0.0.1:${server.port}/gateway`,
      shard: [0, 1],
      application: { id: bot.id, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      user_settings: {},
      guild_join_requests: [],
    });
    for (const g of guilds) dispatch("GUILD_CREATE", guildCreate(g, bot));
  }

  function onFrame(socket: Socket, raw: string) {
    const frame = JSON.parse(raw) as { op: number; d: any };
    if (frame.op === 1) {
      stats.heartbeats++;
      return send(socket, { op: 11 });
    }
    if (frame.op === 2) {
      stats.identifies++;
      stats.lastIntents = Number(frame.d.intents);
      if (options.identifyCloseCode) return socket.ws.close(options.identifyCloseCode, "Disallowed intent(s).");
      return ready(socket);
    }
    if (frame.op === 6) {
      if (frame.d.session_id !== sessionId) return send(socket, { op: 9, d: false });
      stats.resumes++;
      socket.ready = true;
      for (const e of dispatched.filter((x) => x.s > frame.d.seq - (options.resumeOverlap ?? 0) && x.t !== "READY" && x.t !== "RESUMED")) send(socket, { op: 0, t: e.t, s: e.s, d: e.d });
      const s = ++seq;
      dispatched.push({ s, t: "RESUMED", d: {} });
      send(socket, { op: 0, t: "RESUMED", s, d: {} });
    }
  }

  async function readBody(req: Request): Promise<{ body: Record<string, any>; files: RestCall["files"] }> {
    const type = req.headers.get("content-type") ?? "";
    if (type.startsWith("multipart/form-data")) {
      const form = await req.formData();
      const out: RestCall["files"] = [];
      for (const [, value] of form) if (value instanceof Blob) out.push({ name: (value as File).name, size: value.size, type: value.type });
      const payload = form.get("payload_json");
      return { body: typeof payload === "string" ? JSON.parse(payload) : {}, files: out };
    }
    const text = await req.text();
    return { body: text ? JSON.parse(text) : {}, files: [] };
  }

  async function rest(req: Request, path: string): Promise<Response> {
    if (req.headers.get("authorization") !== `Bot ${token}`) return json({ message: "401: Unauthorized", code: 0 }, 401);
    const { body, files: uploaded } = await readBody(req);
    const record = (status: number) => {
      calls.push({ method: req.method, path, body, files: uploaded, at: Date.now(), status });
      notify();
    };
    const failure = failures.findIndex((f) => f.match(req.method, path));
    if (failure >= 0) {
      const f = failures.splice(failure, 1)[0]!;
      record(f.status);
      const headers: Record<string, string> = f.status === 429 ? { "Retry-After": String(f.retryAfter), "X-RateLimit-Scope": f.global ? "global" : "user", ...(f.global ? { "X-RateLimit-Global": "true" } : {}) } : {};
      return json({ message: f.status === 429 ? "You are being rate limited." : "Injected failure", retry_after: f.retryAfter, global: f.global, code: 0 }, f.status, headers);
    }
    record(200);
    if (req.method === "GET" && path === "/gateway/bot") {
      return json({ url: `ws://127.0.0.1:${server.port}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (req.method === "GET" && path === "/users/@me") return json(userObject(bot));
    if (req.method === "POST" && path === "/users/@me/channels") {
      const dm = dmChannels.get(body.recipient_id) ?? snowflake();
      dmChannels.set(body.recipient_id, dm);
      return json({ id: dm, type: 1, recipients: [userObject({ id: body.recipient_id, username: `user${body.recipient_id}` })] });
    }
    let m = /^\/channels\/(\d+)\/typing$/.exec(path);
    if (m && req.method === "POST") return new Response(null, { status: 204 });
    m = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (m && req.method === "POST") {
      const message = { ...messageObject({ channelId: m[1]!, author: bot, content: body.content ?? "" }), attachments: uploaded.map((f) => ({ id: snowflake(), filename: f.name, size: f.size, url: "" })) };
      return json(message);
    }
    m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
    if (m && req.method === "PATCH") return json(messageObject({ channelId: m[1]!, author: bot, content: body.content ?? "", id: m[2] }));
    m = /^\/channels\/(\d+)$/.exec(path);
    if (m && req.method === "GET") {
      const dmUser = [...dmChannels].find(([, id]) => id === m![1])?.[0];
      if (dmUser) return json({ id: m[1], type: 1, recipients: [userObject({ id: dmUser, username: `user${dmUser}` })] });
      const guild = guilds.find((g) => g.channels.some((c) => c.id === m![1]));
      const channel = guild?.channels.find((c) => c.id === m![1]);
      if (guild && channel) return json({ id: channel.id, name: channel.name, type: channel.type ?? 0, guild_id: guild.id, position: 0, permission_overwrites: [] });
      return json({ message: "Unknown Channel", code: 10003 }, 404);
    }
    return json({ message: `fake Discord has no ${req.method} ${path}`, code: 0 }, 404);
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req, srv) {
      const url = new URL(req.url);
      if (url.pathname === "/gateway") return srv.upgrade(req, { data: undefined }) ? undefined : new Response("upgrade failed", { status: 400 });
      if (url.pathname.startsWith("/attachments/")) {
        const file = files.get(url.pathname);
        return file ? new Response(new Blob([file.bytes as BlobPart]), { headers: { "content-type": file.type } }) : new Response("no such file", { status: 404 });
      }
      if (url.pathname.startsWith("/api/v10/")) return rest(req, url.pathname.slice("/api/v10".length));
      return new Response("not found", { status: 404 });
    },
    websocket: {
      open(ws) {
        const socket: Socket = { ws, ready: false };
        (ws as any).socket = socket;
        sockets.add(socket);
        send(socket, { op: 10, d: { heartbeat_interval: options.heartbeatMs ?? 41250 } });
      },
      message(ws, raw) {
        onFrame((ws as any).socket, String(raw));
      },
      close(ws) {
        sockets.delete((ws as any).socket);
        notify();
      },
    },
  });

  const base = `http://127.0.0.1:${server.port}`;
  const isDm = (channelId: string) => [...dmChannels.values()].includes(channelId) || !guilds.some((g) => g.channels.some((c) => c.id === channelId) || g.threads?.some((t) => t.id === channelId));

  return {
    token,
    bot,
    apiUrl: `${base}/api/v10`,
    calls,
    stats,
    /** Messages the bot posted, in order. */
    sent: (): PostedMessage[] =>
      calls
        .filter((c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && c.status === 200)
        .map((c) => ({ ...c.body, channelId: c.path.split("/")[2]!, content: c.body.content ?? "", files: c.files, at: c.at })),
    connected: () => [...sockets].some((s) => s.ready),
    /** Delivers MESSAGE_CREATE (DMs get `channel_type: 1`); returns the message id. */
    pushMessage(spec: InboundSpec): string {
      const id = spec.id ?? snowflake();
      dispatch("MESSAGE_CREATE", messageObject({ ...spec, id }, spec.guildId ? undefined : 1));
      return id;
    },
    /** A DM channel for `userId` (as POST /users/@me/channels would create). */
    dmChannel(userId: string): string {
      const id = dmChannels.get(userId) ?? snowflake();
      dmChannels.set(userId, id);
      return id;
    },
    createThread(guildId: string, thread: { id: string; name: string; parentId: string }) {
      guilds.find((g) => g.id === guildId)!.threads = [...(guilds.find((g) => g.id === guildId)!.threads ?? []), thread];
      dispatch("THREAD_CREATE", { ...threadObject(guildId, thread), newly_created: true });
    },
    /** Serves `bytes` under a URL an attachment can point at. */
    addFile(name: string, bytes: Uint8Array, type: string): string {
      files.set(`/attachments/${name}`, { bytes, type });
      return `${base}/attachments/${name}`;
    },
    /** The next REST call matching method and path fails (429 with `retry_after` seconds by default). */
    failNext(method: string, path: RegExp, failure: { status?: number; retryAfter?: number; global?: boolean } = {}) {
      failures.push({ match: (m, p) => m === method && path.test(p), status: failure.status ?? 429, retryAfter: failure.retryAfter ?? 1, global: failure.global ?? false });
    },
    /** Closes the gateway socket with a resumable code: the client comes back with RESUME. */
    dropSocket(code = 4000) {
      for (const s of sockets) {
        s.ready = false;
        s.ws.close(code, "dropped by the test");
      }
    },
    isDm,
    async waitFor<T>(check: () => T, ms = 5000, what = "condition"): Promise<NonNullable<T>> {
      const deadline = Date.now() + ms;
      for (;;) {
        const value = check();
        if (value) return value as NonNullable<T>;
        if (Date.now() > deadline) throw new Error(`fake Discord: timed out after ${ms} ms waiting for ${what}`);
        await Bun.sleep(10);
      }
    },
    stop() {
      for (const s of sockets) s.ws.close(1001, "fake stopping");
      server.stop(true);
    },
  };
}

export type FakeDiscord = ReturnType<typeof startFakeDiscord>;
