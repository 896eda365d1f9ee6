import { describe, expect, test } from "bun:test";
import { renderMarkdown } from "../../src/ui/app/markdown.ts";

describe("renderMarkdown", () => {
  test("HTML in the text comes out as text, never as markup", () => {
    const html = renderMarkdown(`<img src=x onerror="alert(1)"> <script>alert(2)</script>`);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  test("bold, italic, strikethrough and inline code become their tags", () => {
    expect(renderMarkdown("**bold** and *it* and _also_ and ~~gone~~ and `x < y`")).toBe(
      "<p><strong>bold</strong> and <em>it</em> and <em>also</em> and <del>gone</del> and <code>x &lt; y</code></p>",
    );
  });

  test("inline code keeps its asterisks literal", () => {
    expect(renderMarkdown("`a*b*c`")).toBe("<p><code>a*b*c</code></p>");
  });

  test("snake_case words are not italicised", () => {
    expect(renderMarkdown("call read_file_now please")).toBe("<p>call read_file_now please</p>");
  });

  test("a fenced code block keeps its text escaped and its language as a class", () => {
    expect(renderMarkdown("before\n```ts\nconst a = <T>(x: T) => x; // **no bold**\n```\nafter")).toBe(
      '<p>before</p><pre><code class="language-ts">const a = &lt;T&gt;(x: T) =&gt; x; // **no bold**</code></pre><p>after</p>',
    );
  });

  test("an unclosed fence (mid-stream) still renders as code", () => {
    expect(renderMarkdown("```\nline 1")).toBe("<pre><code>line 1</code></pre>");
  });

  test("http links open in a new tab without an opener", () => {
    expect(renderMarkdown("see [docs](https://example.com/a?b=1&c=2)")).toBe(
      '<p>see <a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">docs</a></p>',
    );
  });

  test("javascript: links stay plain text", () => {
    const html = renderMarkdown("[click](javascript:alert(1))");
    expect(html).not.toContain("<a");
    expect(html).toContain("[click](javascript:alert(1))");
  });

  test("a bare URL becomes a link without its trailing punctuation", () => {
    expect(renderMarkdown("go to https://example.com/x.")).toBe(
      '<p>go to <a href="https://example.com/x" target="_blank" rel="noopener noreferrer">https://example.com/x</a>.</p>',
    );
  });

  test("bullet and numbered lists become ul and ol", () => {
    expect(renderMarkdown("- one\n- **two**\n\n3. three\n4. four")).toBe(
      '<ul><li>one</li><li><strong>two</strong></li></ul><ol start="3"><li>three</li><li>four</li></ol>',
    );
  });

  test("headings, quotes and line breaks inside a paragraph", () => {
    expect(renderMarkdown("# Title\n> quoted\nline one\nline two")).toBe("<h3>Title</h3><blockquote><p>quoted</p></blockquote><p>line one<br>line two</p>");
  });
});
