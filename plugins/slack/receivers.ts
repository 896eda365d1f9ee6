import { SocketModeReceiver, verifySlackRequest, type App, type Logger, type Receiver, type SocketModeReceiverOptions } from "@slack/bolt";
import { ChannelError } from "openclaw/plugin-sdk";
import { processWithDeferredAck, type AckedEvent } from "./ack.ts";
import { where, type SlackSettings } from "./config.ts";
import { mountedPaths, webhookHandlers } from "./webhooks.ts";

/** Bolt's Socket Mode receiver, acknowledging each event only after the gateway committed it (see `processWithDeferredAck`). */
export class CommitFirstSocketReceiver extends SocketModeReceiver {
  constructor(options: SocketModeReceiverOptions) {
    super({
      ...options,
      // A failed commit leaves the event unacknowledged, so Slack redelivers it.
      processEventErrorHandler: async ({ error, logger }) => (logger.warn(`event not acknowledged: ${error.message}`), false),
    });
  }

  override init(app: App): void {
    super.init({ processEvent: (event: AckedEvent) => processWithDeferredAck(app, event) } as unknown as App);
  }
}

function parseBody(raw: string, contentType: string | null): Record<string, any> {
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    const form = Object.fromEntries(new URLSearchParams(raw));
    return typeof form.payload === "string" ? JSON.parse(form.payload) : form;
  }
  return JSON.parse(raw);
}

/**
 * HTTP Request URLs on the gateway port: Slack POSTs to the account's `webhookPath`; each request's signature
 * (`X-Slack-Signature`, HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret) and timestamp (at most 5
 * minutes old) are checked by Bolt's `verifySlackRequest`, else 401. `url_verification` is answered with its challenge.
 */
export class GatewayHttpReceiver implements Receiver {
  private app?: App;
  private readonly handler = (request: Request) => this.handle(request);

  constructor(
    private readonly settings: SlackSettings,
    private readonly accountId: string,
    private readonly logger: Logger,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    const path = this.settings.webhookPath;
    const at = where(this.accountId);
    if (!mountedPaths.has(path)) throw new ChannelError("config", `${at}.webhookPath ${path} was not configured when the gateway started: restart the gateway to mount it.`);
    if (webhookHandlers.has(path)) throw new ChannelError("config", `${at}.webhookPath ${path} is already used by another Slack account: give each HTTP account its own webhookPath.`);
    webhookHandlers.set(path, this.handler);
  }

  async stop(): Promise<void> {
    if (webhookHandlers.get(this.settings.webhookPath) === this.handler) webhookHandlers.delete(this.settings.webhookPath);
  }

  private async handle(request: Request): Promise<Response> {
    if (request.method !== "POST") return new Response("Slack events are POSTed here.", { status: 405 });
    const raw = await request.text();
    try {
      verifySlackRequest({
        signingSecret: this.settings.signingSecret!,
        body: raw,
        headers: { "x-slack-signature": request.headers.get("x-slack-signature") ?? "", "x-slack-request-timestamp": Number(request.headers.get("x-slack-request-timestamp")) },
      });
    } catch (error) {
      this.logger.warn(`refused a request to ${this.settings.webhookPath}: ${(error as Error).message}`);
      return Response.json({ error: "invalid or stale Slack signature: check signingSecret" }, { status: 401 });
    }
    let body: Record<string, any>;
    try {
      body = parseBody(raw, request.headers.get("content-type"));
    } catch {
      return Response.json({ error: "the body is neither JSON nor a form" }, { status: 400 });
    }
    if (body.ssl_check) return new Response("", { status: 200 });
    if (body.type === "url_verification") return Response.json({ challenge: body.challenge });
    if (!this.app) return new Response("not ready", { status: 503 });
    const retry = request.headers.get("x-slack-retry-num");
    const { promise, resolve } = Promise.withResolvers<{ ok: boolean; response?: unknown }>();
    const event: AckedEvent = {
      body,
      ack: async (response) => resolve({ ok: true, response }),
      retryNum: retry === null ? undefined : Number(retry),
      retryReason: request.headers.get("x-slack-retry-reason") ?? undefined,
    };
    processWithDeferredAck(this.app as never, event).catch(() => resolve({ ok: false }));
    const outcome = await promise;
    if (!outcome.ok) return Response.json({ error: "not stored yet: retry" }, { status: 500 });
    return outcome.response === undefined ? new Response("", { status: 200 }) : Response.json(outcome.response);
  }
}
