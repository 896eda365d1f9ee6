export { chunkMarkdown } from "./chunk.ts";
export { markdownToTelegramHtml, escapeHtml, renderInline, telegramHtmlToText } from "./telegram-html.ts";
