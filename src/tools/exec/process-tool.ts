import { z } from "zod";
import { ToolError } from "../errors.ts";
import type { Tool } from "../types.ts";
import { finalResult } from "./exec-tool.ts";
import type { Job, JobRegistry } from "./jobs.ts";

const params = z.object({
  action: z.enum(["list", "poll", "log", "write", "kill", "remove"]),
  jobId: z.string().optional(),
  data: z.string().optional().describe("write: stdin text"),
  eof: z.boolean().optional().describe("write: then close stdin"),
  waitMs: z.number().min(0).optional().describe("poll: wait for exit, ms"),
});

/** `process`: list, poll (new output), log (all retained output), write stdin, kill and remove `exec` jobs. */
export function createProcessTool(options: { jobs: JobRegistry; maxOutputChars?: number }): Tool<typeof params> {
  const maxOutput = options.maxOutputChars ?? 30_000;
  const need = (jobId: string | undefined): Job => {
    if (!jobId) throw new ToolError("invalid_args", "jobId is required for this action; use action list to see jobs.");
    const job = options.jobs.get(jobId);
    if (!job) throw new ToolError("job_not_found", `No job ${jobId}; use action list to see jobs.`);
    return job;
  };
  return {
    name: "process",
    description: "Manage exec jobs: list, poll (new output), log (all output), write stdin, kill, remove.",
    params,
    async execute(args) {
      switch (args.action) {
        case "list": {
          const jobs = options.jobs.list();
          if (jobs.length === 0) return { content: "No jobs." };
          return { content: jobs.map((j) => `${j.id} pid ${j.pid} ${j.describe()}: ${j.command.slice(0, 80)}`).join("\n") };
        }
        case "poll": {
          const job = need(args.jobId);
          if (args.waitMs && job.status === "running") await Promise.race([job.done, Bun.sleep(Math.min(args.waitMs, 60_000))]);
          const text = job.output.readNew(maxOutput);
          const ended = job.status !== "running";
          return { content: `${text || "(no new output)"}\n[${job.id} ${job.describe()}]`, isError: (ended && finalResult(job, 0).isError) || undefined, details: { status: job.status, exitCode: job.exitCode } };
        }
        case "log": {
          const job = need(args.jobId);
          return { content: `${job.output.tail(maxOutput) || "(no output)"}\n[${job.id} ${job.describe()}]` };
        }
        case "write": {
          const job = need(args.jobId);
          if (job.status !== "running") throw new ToolError("invalid_args", `${job.id} has ended (${job.describe()}); nothing to write to.`);
          try {
            await job.write(args.data ?? "", args.eof ?? false);
          } catch (cause) {
            throw new ToolError("invalid_args", `Could not write to ${job.id}'s stdin (it may have closed it).`, { cause });
          }
          return { content: `Wrote ${args.data?.length ?? 0} chars to ${job.id}${args.eof ? " and closed stdin" : ""}.` };
        }
        case "kill": {
          const job = need(args.jobId);
          job.kill();
          await Promise.race([job.done, Bun.sleep(2000)]);
          return { content: `${job.id} ${job.describe()}.` };
        }
        case "remove": {
          const job = need(args.jobId);
          options.jobs.remove(job.id);
          return { content: `Removed ${job.id}.` };
        }
      }
    },
  };
}
