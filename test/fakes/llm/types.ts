import type { ProviderConfig } from "../../../src/config/index.ts";
import type { ProviderApi } from "../../../src/providers/types.ts";

export interface FakeToolCall {
  name: string;
  args?: unknown;
  /** Defaults to `call_<n>` (unique per server). */
  id?: string;
}

/** One scripted answer to one model request. */
export interface FakeReply {
  text?: string;
  thinking?: string;
  toolCalls?: FakeToolCall[];
  /** Answer with this HTTP error instead of a stream (e.g. 429 with `retryAfter` seconds, 500, 401). */
  error?: { status: number; message?: string; retryAfter?: number };
  /** Cut the connection after this many SSE events (0 = right after the headers). */
  cutAfter?: number;
  /** Wait this long before each SSE event (0 = write the whole stream at once). */
  delayMs?: number;
  usage?: { input: number; output: number };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: any;
}

/** A list is consumed in order (a request past its end gets a 500 naming the problem); a function decides per request. */
export type FakeScript = FakeReply[] | ((request: RecordedRequest, index: number) => FakeReply);

export interface FakeLlmOptions {
  script?: FakeScript;
  /** Shortcut: answer every request with this text. */
  text?: string;
  /** When set, requests with another key get a 401. */
  apiKey?: string;
  /** Default delay between SSE events for every reply (default 0). */
  delayMs?: number;
  /**
   * Keep each request in `requests`, its body parsed (default true). Benchmarks turn it off: a fake that keeps and
   * parses every request of a long session grows to gigabytes and takes CPU from the gateway it measures. Off, the
   * body is still read to the end, only not parsed or kept, and `requests` stays empty.
   */
  record?: boolean;
  /** Extra routes by exact path (e.g. Ollama's `/api/show`), answered before the protocol's own. */
  routes?: Record<string, (request: Request) => Response | Promise<Response>>;
  /** Model ids served at `GET {basePath}/models` (OpenAI's list shape); unset, that path is a 404. */
  models?: string[];
  /** Listen on this port instead of a free one (a server that comes back where it was). */
  port?: number;
}

export interface FakeLlm {
  api: ProviderApi;
  /** The `baseUrl` to put in `models.providers.<id>`. */
  url: string;
  requests: RecordedRequest[];
  /** A ready `models.providers.<id>` entry pointing at this fake, with model `fake-model`. */
  providerConfig(extra?: Partial<ProviderConfig>): ProviderConfig;
  /** Paced streams (`delayMs`) still being written: a client that gave up lets its stream go. */
  openStreams(): number;
  stop(): Promise<void>;
}

/** How one wire protocol frames a scripted reply. */
export interface FakeProtocol {
  api: ProviderApi;
  /** Path prefix of `url` (e.g. `/v1`). */
  basePath: string;
  matches(path: string): boolean;
  /** The API key the client sent, from its auth header. */
  apiKey(headers: Record<string, string>): string | undefined;
  events(reply: FakeReply, request: RecordedRequest, nextId: () => string): string[];
  errorBody(status: number, message: string): unknown;
}
