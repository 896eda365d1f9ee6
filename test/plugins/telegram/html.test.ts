import { describe, expect, test } from "bun:test";
import { markdownToTelegramHtml } from "../../../plugins/telegram/html.ts";
import { checkTelegramHtml } from "../../fakes/telegram-html-check.ts";

describe("markdownToTelegramHtml", () => {
  test("bold, italic, strike and inline code become Telegram tags", () => {
    expect(markdownToTelegramHtml("**b** *i* _j_ ~~s~~ `c`")).toBe("<b>b</b> <i>i</i> <i>j</i> <s>s</s> <code>c</code>");
  });

  test("&, < and > are escaped in text and in code", () => {
    expect(markdownToTelegramHtml("a < b & c > d `x<y`")).toBe("a &lt; b &amp; c &gt; d <code>x&lt;y</code>");
  });

  test("a fenced block keeps its language and its content verbatim", () => {
    expect(markdownToTelegramHtml("```python\nif a < b and **x**:\n    pass\n```")).toBe(
      '<pre><code class="language-python">if a &lt; b and **x**:\n    pass</code></pre>',
    );
  });

  test("links keep their URL escaped in the attribute", () => {
    expect(markdownToTelegramHtml("[docs](https://x.dev/?a=1&b=\"2\")")).toBe('<a href="https://x.dev/?a=1&amp;b=&quot;2&quot;">docs</a>');
  });

  test("snake_case words are not italicised", () => {
    expect(markdownToTelegramHtml("call my_func_name now")).toBe("call my_func_name now");
  });

  test("headings become bold lines and bullets become dots", () => {
    expect(markdownToTelegramHtml("## Plan\n- one\n- two")).toBe("<b>Plan</b>\n• one\n• two");
  });

  test("an unclosed fence still renders balanced HTML", () => {
    const html = markdownToTelegramHtml("```ts\nconst a = 1;");
    expect(checkTelegramHtml(html).ok).toBe(true);
  });

  test("unbalanced emphasis renders as literal text that Telegram accepts", () => {
    for (const md of ["**bold without end", "a * b * c", "__init__ and *", "~~"]) expect(checkTelegramHtml(markdownToTelegramHtml(md)).ok).toBe(true);
  });
});
