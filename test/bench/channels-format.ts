// Prints how fast a long model answer is chunked for Telegram and rendered to its HTML, and the fake
// Bot API round trip of the real grammY client: `bun test/bench/channels-format.ts`.
import { Api } from "grammy";
import { chunkMarkdown } from "../../src/channels/format/chunk.ts";
import { markdownToTelegramHtml } from "../../plugins/telegram/html.ts";
import { startFakeTelegram } from "../fakes/telegram.ts";

const code = Array.from({ length: 400 }, (_, i) => `const v${i} = compute(${i}) < limit && ok;`).join("\n");
const prose = Array.from({ length: 60 }, (_, i) => `Paragraph ${i}: **bold**, *italic*, \`code\` and [a link](https://example.com/${i}). `.repeat(4)).join("\n\n");
const answer = `${prose}\n\n\`\`\`ts\n${code}\n\`\`\`\n\n${prose}`;

const rounds = 200;
let t = performance.now();
let chunks = 0;
for (let i = 0; i < rounds; i++) chunks = chunkMarkdown(answer, 4000).length;
const chunkMs = (performance.now() - t) / rounds;
t = performance.now();
for (let i = 0; i < rounds; i++) for (const c of chunkMarkdown(answer, 4000)) markdownToTelegramHtml(c);
const renderMs = (performance.now() - t) / rounds;
console.log(`answer ${answer.length} chars → ${chunks} chunks; chunk ${chunkMs.toFixed(2)} ms, chunk+render ${renderMs.toFixed(2)} ms per answer`);

const fake = startFakeTelegram();
const api = new Api(fake.token, { apiRoot: fake.url });
const sends = 300;
t = performance.now();
for (let i = 0; i < sends; i++) await api.sendMessage(42, `<b>msg</b> ${i}`, { parse_mode: "HTML" });
console.log(`grammY sendMessage to the local fake: ${((performance.now() - t) / sends).toFixed(2)} ms per call (${sends} calls)`);
fake.stop();
