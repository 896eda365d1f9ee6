import { describe, expect, test } from "bun:test";
import { splitForSlack, toMrkdwn } from "../../../plugins/slack/mrkdwn.ts";

describe("Markdown to Slack mrkdwn", () => {
  test("bold, italics, strike-through and links take Slack's forms", () => {
    expect(toMrkdwn("**b** *i* _i_ ~~s~~ [t](https://x.io/a_b)")).toBe("*b* _i_ _i_ ~s~ <https://x.io/a_b|t>");
  });

  test("headings become bold lines and bullets become •", () => {
    expect(toMrkdwn("## Plan\n- one\n* two\n  - nested")).toBe("*Plan*\n• one\n• two\n  • nested");
  });

  test("& < > are escaped everywhere, code included, and code is not reformatted", () => {
    expect(toMrkdwn("a < b & `x**y**<z>`")).toBe("a &lt; b &amp; `x**y**&lt;z&gt;`");
    expect(toMrkdwn("```js\nif (a && **b**) {}\n```")).toBe("```\nif (a &amp;&amp; **b**) {}\n```");
  });

  test("an unclosed code fence is closed", () => {
    expect(toMrkdwn("```\ncode")).toBe("```\ncode\n```");
  });

  test("a long code block is split into pieces that each open and close their fence", () => {
    const pieces = splitForSlack("```\n" + "some code line\n".repeat(40) + "```", 120);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(120);
      expect(piece.startsWith("```")).toBe(true);
      expect(piece.endsWith("```")).toBe(true);
    }
  });
});
