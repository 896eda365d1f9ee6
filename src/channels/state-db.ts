// The channels' view of the one state-db opener (src/storage/state-db.ts).
export { openStateDb } from "../storage/state-db.ts";
