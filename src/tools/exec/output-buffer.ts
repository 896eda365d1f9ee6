/** Keeps the tail of a command's output (at most `maxChars`) and a read cursor for polling. */
export class OutputBuffer {
  private text = "";
  /** Absolute index (in chars written so far) of the first retained char. */
  private start = 0;
  private cursor = 0;

  constructor(private readonly maxChars: number) {}

  get total(): number {
    return this.start + this.text.length;
  }

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.maxChars * 1.5) this.trim();
  }

  private trim(): void {
    const drop = this.text.length - this.maxChars;
    if (drop <= 0) return;
    this.text = this.text.slice(drop);
    this.start += drop;
  }

  /** Everything retained, the tail cut to `limit` chars with a note saying how much was dropped. */
  tail(limit: number): string {
    this.trim();
    return clip(this.text, this.start, limit);
  }

  /** Output since the last `readNew`, cut to its last `limit` chars; moves the cursor to the end. */
  readNew(limit: number): string {
    this.trim();
    const from = Math.max(this.cursor, this.start);
    const skipped = from - this.cursor;
    this.cursor = this.total;
    return clip(this.text.slice(from - this.start), skipped, limit);
  }

  /** Marks everything so far as read (used when a command yields with its output shown). */
  markRead(): void {
    this.cursor = this.total;
  }
}

function clip(text: string, alreadyDropped: number, limit: number): string {
  const dropped = alreadyDropped + Math.max(0, text.length - limit);
  const kept = text.length > limit ? text.slice(text.length - limit) : text;
  return dropped > 0 ? `[output truncated: ${dropped} earlier chars dropped]\n${kept}` : kept;
}
