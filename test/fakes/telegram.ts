import type { Message, Update } from "@grammyjs/types";
import { checkTelegramHtml } from "./telegram-html-check.ts";

/** One Bot API call the fake answered (getUpdates excluded). */
export interface SentCall {
  method: string;
  payload: Record<string, unknown>;
  /** Uploaded files of a multipart call. */
  files: { field: string; name: string; size: number; type: string }[];
  at: number;
}

export interface ApiFailure {
  error_code: number;
  description?: string;
  retry_after?: number;
}

export interface PushMessage {
  chatId: number;
  chatType?: "private" | "group" | "supergroup" | "channel";
  isForum?: boolean;
  from?: { id: number; first_name?: string; username?: string; is_bot?: boolean };
  text?: string;
  caption?: string;
  threadId?: number;
  replyTo?: Partial<Message> & { message_id: number };
  entities?: Message["entities"];
  photo?: { fileId: string; size: number };
  document?: { fileId: string; size: number; fileName: string; mimeType: string };
}

interface HeldPoll {
  offset: number;
  controller: ReadableStreamDefaultController<Uint8Array>;
  timer: ReturnType<typeof setTimeout>;
}

const encoder = new TextEncoder();
const json = (body: unknown, status = 200) => Response.json(body, { status });

/**
 * A fake Telegram Bot API on 127.0.0.1 (port 0) for grammY: `apiRoot` is `fake.url`. It holds long polls,
 * validates HTML parse mode like Telegram, records what the bot sent, and lets a test inject failures.
 */
export function startFakeTelegram(options: { token?: string; bot?: { id: number; username: string } } = {}) {
  const token = options.token ?? "123456:TEST-token";
  const bot = { id: options.bot?.id ?? 999, is_bot: true, first_name: "Claw", username: options.bot?.username ?? "claw_bot" };
  const updates: Update[] = [];
  const held = new Set<HeldPoll>();
  const failures = new Map<string, ApiFailure[]>();
  const files = new Map<string, { path: string; bytes: Uint8Array }>();
  const chats = new Map<number, { type: string; is_forum?: boolean }>();
  const sent: SentCall[] = [];
  const listeners = new Set<() => void>();
  let nextUpdateId = 1000;
  let nextMessageId = 1;
  let dropNextDelivery = false;
  let polls = 0;

  const pending = (offset: number) => updates.filter((u) => u.update_id >= offset);
  const answerPoll = (poll: HeldPoll) => {
    clearTimeout(poll.timer);
    held.delete(poll);
    const result = pending(poll.offset);
    if (result.length && dropNextDelivery) {
      dropNextDelivery = false;
      return poll.controller.error();
    }
    try {
      poll.controller.enqueue(encoder.encode(JSON.stringify({ ok: true, result })));
      poll.controller.close();
    } catch {
      // The bot dropped this poll (stop, restart): the updates stay queued for its next getUpdates.
    }
  };

  function getUpdates(payload: Record<string, unknown>): Response {
    polls++;
    const offset = typeof payload.offset === "number" ? payload.offset : 0;
    // Telegram forgets updates below the offset: that is how the bot confirms them.
    for (let i = updates.length - 1; i >= 0; i--) if (updates[i]!.update_id < offset) updates.splice(i, 1);
    const timeout = typeof payload.timeout === "number" ? payload.timeout : 0;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const poll: HeldPoll = { offset, controller, timer: setTimeout(() => answerPoll(poll), timeout * 1000) };
        held.add(poll);
        if (pending(offset).length || timeout === 0) answerPoll(poll);
      },
    });
    return new Response(stream, { headers: { "content-type": "application/json" } });
  }

  function record(method: string, payload: Record<string, unknown>, upload: SentCall["files"] = []): void {
    sent.push({ method, payload, files: upload, at: Date.now() });
    for (const listener of listeners) listener();
  }

  function messageFor(payload: Record<string, unknown>, extra: Partial<Message> = {}): Message {
    const chatId = Number(payload.chat_id);
    const chat = chats.get(chatId) ?? { type: "private" };
    return {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, ...chat } as Message["chat"],
      from: bot,
      ...(payload.message_thread_id ? { message_thread_id: Number(payload.message_thread_id) } : {}),
      ...extra,
    } as Message;
  }

  function textCheck(payload: Record<string, unknown>): ApiFailure | null {
    const text = String(payload.text ?? "");
    const check = payload.parse_mode === "HTML" ? checkTelegramHtml(text) : { ok: true as const, visible: text };
    if (!check.ok) return { error_code: 400, description: `Bad Request: can't parse entities: ${check.error}` };
    if (check.visible.trim().length === 0) return { error_code: 400, description: "Bad Request: message text is empty" };
    if (check.visible.length > 4096) return { error_code: 400, description: "Bad Request: message is too long" };
    return null;
  }

  async function api(method: string, req: Request): Promise<Response> {
    const type = req.headers.get("content-type") ?? "";
    const payload: Record<string, unknown> = {};
    const upload: SentCall["files"] = [];
    if (type.includes("multipart/form-data")) {
      for (const [field, value] of (await req.formData()).entries()) {
        if (typeof value === "string") payload[field] = /^-?\d+$/.test(value) ? Number(value) : value;
        else {
          const file = value as unknown as File;
          upload.push({ field, name: file.name, size: file.size, type: file.type });
        }
      }
    } else if (type.includes("json")) Object.assign(payload, await req.json());

    const failure = failures.get(method)?.shift();
    if (failure) {
      record(`${method}:failed`, payload);
      const { retry_after, ...rest } = failure;
      return json({ ok: false, description: rest.description ?? `Error ${rest.error_code}`, error_code: rest.error_code, ...(retry_after ? { parameters: { retry_after } } : {}) }, rest.error_code);
    }
    switch (method) {
      case "getMe":
        return json({ ok: true, result: bot });
      case "getUpdates":
        return getUpdates(payload);
      case "deleteWebhook":
      case "setMyCommands":
      case "sendChatAction":
        record(method, payload);
        return json({ ok: true, result: true });
      case "sendMessage": {
        const problem = textCheck(payload);
        if (problem) return record(`${method}:failed`, payload), json({ ok: false, ...problem }, 400);
        record(method, payload);
        return json({ ok: true, result: messageFor(payload, { text: String(payload.text) }) });
      }
      case "editMessageText": {
        const problem = textCheck(payload);
        if (problem) return record(`${method}:failed`, payload), json({ ok: false, ...problem }, 400);
        record(method, payload);
        return json({ ok: true, result: messageFor(payload, { message_id: Number(payload.message_id), text: String(payload.text) }) });
      }
      case "sendPhoto":
      case "sendDocument":
      case "sendVoice":
      case "sendAudio":
      case "sendVideo":
        if (upload.length === 0) return json({ ok: false, error_code: 400, description: "Bad Request: there is no file in the request" }, 400);
        record(method, payload, upload);
        return json({ ok: true, result: messageFor(payload) });
      case "getFile": {
        const file = files.get(String(payload.file_id));
        if (!file) return json({ ok: false, error_code: 400, description: "Bad Request: invalid file_id" }, 400);
        return json({ ok: true, result: { file_id: payload.file_id, file_unique_id: `u${payload.file_id}`, file_size: file.bytes.length, file_path: file.path } });
      }
      default:
        return json({ ok: false, error_code: 404, description: `Not Found: method ${method}` }, 404);
    }
  }

  let responseDelayMs = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
      if (file) {
        const found = [...files.values()].find((f) => f.path === file[2]);
        return file[1] === token && found ? new Response(found.bytes as Uint8Array<ArrayBuffer>) : new Response("Not Found", { status: 404 });
      }
      const call = /^\/bot([^/]+)\/(\w+)$/.exec(path);
      if (!call) return json({ ok: false, error_code: 404, description: "Not Found" }, 404);
      if (call[1] !== token) return json({ ok: false, error_code: 401, description: "Unauthorized" }, 401);
      const answer = await api(call[2]!, req);
      // A slow Bot API: the call is recorded on arrival, its answer comes later.
      if (responseDelayMs > 0 && call[2] !== "getUpdates") await Bun.sleep(responseDelayMs);
      return answer;
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    token,
    bot,
    sent,
    /** How many getUpdates calls arrived. */
    polls: () => polls,
    /** Queues an update (its update_id is assigned) and answers waiting long polls. */
    pushUpdate(update: Omit<Update, "update_id">): number {
      const full = { ...update, update_id: nextUpdateId++ } as Update;
      updates.push(full);
      for (const poll of [...held]) if (pending(poll.offset).length) answerPoll(poll);
      return full.update_id;
    },
    /** Builds a `message` update from a few fields. */
    pushMessage(m: PushMessage): number {
      const type = m.chatType ?? (m.chatId > 0 ? "private" : "supergroup");
      chats.set(m.chatId, { type, ...(m.isForum ? { is_forum: true } : {}) });
      const from = { id: m.from?.id ?? m.chatId, is_bot: m.from?.is_bot ?? false, first_name: m.from?.first_name ?? "Ada", username: m.from?.username };
      const message = {
        message_id: nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: type === "private" ? { id: m.chatId, type, first_name: from.first_name } : { id: m.chatId, type, title: "Group", ...(m.isForum ? { is_forum: true } : {}) },
        from,
        ...(m.text !== undefined ? { text: m.text } : {}),
        ...(m.caption !== undefined ? { caption: m.caption } : {}),
        ...(m.entities ? { entities: m.entities } : {}),
        ...(m.threadId !== undefined ? { message_thread_id: m.threadId, is_topic_message: true } : {}),
        ...(m.replyTo ? { reply_to_message: { date: 0, chat: { id: m.chatId, type }, ...m.replyTo } } : {}),
        ...(m.photo ? { photo: [{ file_id: m.photo.fileId, file_unique_id: `u${m.photo.fileId}`, width: 800, height: 600, file_size: m.photo.size }] } : {}),
        ...(m.document ? { document: { file_id: m.document.fileId, file_unique_id: `u${m.document.fileId}`, file_name: m.document.fileName, mime_type: m.document.mimeType, file_size: m.document.size } } : {}),
      };
      return this.pushUpdate({ message } as Omit<Update, "update_id">);
    },
    /** Makes a file downloadable through getFile and /file/bot<token>/<path>. */
    addFile(fileId: string, bytes: Uint8Array, path = `photos/${fileId}.jpg`): void {
      files.set(fileId, { path, bytes });
    },
    /** Answers every call except getUpdates this many ms after it arrived (0: at once). */
    setResponseDelay(ms: number): void {
      responseDelayMs = ms;
    },
    /** The next call of `method` fails with this error (queue several by calling again). */
    failNext(method: string, failure: ApiFailure): void {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    /** Kills the open long-poll connections; with `nextDelivery`, also the next poll that would carry updates. */
    dropPolls(options: { nextDelivery?: boolean } = {}): number {
      const count = held.size;
      for (const poll of [...held]) {
        clearTimeout(poll.timer);
        held.delete(poll);
        poll.controller.error();
      }
      if (options.nextDelivery) dropNextDelivery = true;
      return count;
    },
    heldPolls: () => held.size,
    /** Resolves when `predicate` holds for the sent log (checked after each call), or rejects after `ms`. */
    waitForSent(predicate: (sent: SentCall[]) => boolean, ms = 5000): Promise<SentCall[]> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(sent)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(sent);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`fake telegram: condition not met in ${ms} ms; sent: ${sent.map((s) => s.method).join(", ")}`));
        }, ms);
        listeners.add(check);
        check();
      });
    },
    stop(): void {
      for (const poll of [...held]) {
        clearTimeout(poll.timer);
        poll.controller.error();
      }
      held.clear();
      server.stop(true);
    },
  };
}

export type FakeTelegram = ReturnType<typeof startFakeTelegram>;
