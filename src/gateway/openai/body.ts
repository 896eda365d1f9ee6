import type { z } from "zod";

/** Why a body was refused, with the status to answer. */
export interface BodyProblem {
  status: 400 | 413;
  message: string;
  param?: string;
}

export type BodyResult<T> = { ok: true; value: T } | { ok: false; problem: BodyProblem };

const tooLarge = (limit: number): BodyProblem => ({
  status: 413,
  message: `The request body is larger than ${formatBytes(limit)}. Send less (e.g. smaller or fewer images).`,
});

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

/** Reads the body as text, refusing more than `limit` bytes by Content-Length and by what actually arrives. */
export async function readText(req: Request, limit: number): Promise<BodyResult<string>> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return { ok: false, problem: tooLarge(limit) };
  if (!req.body) return { ok: true, value: "" };
  if (declared !== null) {
    const text = await req.text();
    // Content-Length frames the body, but count bytes anyway (cheap next to the parse).
    return text.length > limit ? { ok: false, problem: tooLarge(limit) } : { ok: true, value: text };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false, problem: tooLarge(limit) };
    }
    chunks.push(value);
  }
  return { ok: true, value: new TextDecoder().decode(Buffer.concat(chunks)) };
}

/** Reads, parses and validates a JSON body: 413 over `limit`, 400 naming the first bad field otherwise. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, limit: number): Promise<BodyResult<z.infer<S>>> {
  const text = await readText(req, limit);
  if (!text.ok) return text;
  if (!text.value.trim()) return { ok: false, problem: { status: 400, message: "The request body is empty: send a JSON object." } };
  let raw: unknown;
  try {
    raw = JSON.parse(text.value);
  } catch (error) {
    return { ok: false, problem: { status: 400, message: `The request body is not valid JSON (${(error as Error).message}). Send a JSON object.` } };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const param = issue.path.map(String).join(".");
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem(s))` : "";
  return { ok: false, problem: { status: 400, message: `Invalid request: ${param || "body"}: ${issue.message}${more}.`, param: param || undefined } };
}
