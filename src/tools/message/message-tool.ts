import { z } from "zod";
import { openWorkspaceFile, type OpenedWorkspaceFile } from "../fs/workspace-fs.ts";
import { ToolError } from "../errors.ts";
import type { Tool, ToolContext } from "../types.ts";

const params = z.object({
  text: z.string().min(1).describe("Message text (Markdown)"),
  channel: z.string().optional().describe("e.g. telegram; default: this conversation's channel"),
  to: z.string().optional().describe("Chat id; default: this conversation's chat"),
  threadId: z.string().optional(),
  media: z.array(z.string()).max(10).optional().describe("Workspace files to attach"),
});

export interface MessageRequest {
  text: string;
  channel?: string;
  to?: string;
  threadId?: string;
  /**
   * Workspace files, opened without following links: `path` reads the opened file itself (valid until the sender
   * returns), `fileName` is its name in the workspace.
   */
  media?: { path: string; fileName: string }[];
}

/** Sends through the gateway's channels; without channel/to it answers in the session's own chat. */
export type MessageSender = (request: MessageRequest, context: ToolContext) => Promise<{ channel: string; to: string; messageId: string }>;

/** The agent's `message` tool: send a message (and files) to a chat on a connected channel. */
export function createMessageTool(send: MessageSender): Tool<typeof params> {
  return {
    name: "message",
    description: "Send a message to a chat on a connected channel (default: this conversation's chat).",
    params,
    async execute(args, ctx) {
      // Opened as the file tools open them (no link followed at any step, regular files only) and kept open until
      // sent, so the channel uploads what was checked even if the workspace path is swapped meanwhile.
      const opened: OpenedWorkspaceFile[] = [];
      try {
        for (const p of args.media ?? []) opened.push(openWorkspaceFile(ctx.workspace, p));
        if (ctx.signal.aborted) throw new ToolError("aborted", "The run was aborted before the message was sent.");
        const media = args.media ? opened.map((f) => ({ path: f.path, fileName: f.fileName })) : undefined;
        const sent = await send({ text: args.text, channel: args.channel, to: args.to, threadId: args.threadId, media }, ctx);
        return { content: `Sent to ${sent.channel} chat ${sent.to} (message ${sent.messageId}).` };
      } finally {
        for (const f of opened) f.close();
      }
    },
  };
}
