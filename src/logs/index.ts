export { openLogFile, DEFAULT_MAX_FILE_BYTES, type LogFile } from "./file-sink.ts";
export { readLogTail, type LogTail } from "./tail.ts";
export { logFilePath } from "./paths.ts";
export { createRedactor, secretsOf, type Redactor } from "./redact.ts";
export { registerLogsMethod } from "./ws-method.ts";
