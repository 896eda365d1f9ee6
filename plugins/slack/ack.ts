/** What a Slack receiver hands to Bolt: the event body and the function that acknowledges it. */
export interface AckedEvent {
  body: Record<string, any>;
  ack: (response?: unknown) => Promise<void>;
  retryNum?: number;
  retryReason?: string;
  customProperties?: Record<string, any>;
}

/** Thrown by the listener when the gateway could not commit a message: its event stays unacknowledged. */
export class NotCommittedError extends Error {
  override readonly name = "NotCommittedError";
}

const notCommitted = (error: unknown) => error instanceof NotCommittedError || (error as { original?: unknown })?.original instanceof NotCommittedError;

/** Slack redelivers what is not acknowledged within 3 s; answer a little before. */
export const ACK_DEADLINE_MS = 2500;

/**
 * Runs Bolt's `processEvent` and acknowledges the event only once its listener has committed the message (Bolt itself
 * acks events before any listener runs, which would lose a message the gateway could not store). The ack goes out at
 * `deadlineMs` at the latest, so a slow commit never makes Slack redeliver. When the commit failed before the ack,
 * this rejects and the event stays unacknowledged: Slack sends it again.
 */
export async function processWithDeferredAck(app: { processEvent(event: AckedEvent): Promise<void> }, event: AckedEvent, deadlineMs = ACK_DEADLINE_MS): Promise<void> {
  let response: unknown;
  let acked = false;
  const ackNow = async () => {
    if (acked) return;
    acked = true;
    await event.ack(response);
  };
  const timer = setTimeout(() => void ackNow().catch(() => {}), deadlineMs);
  try {
    await app.processEvent({ ...event, ack: async (r?: unknown) => void (response = r) });
  } catch (error) {
    // Anything but a failed commit would fail the same way on every redelivery: acknowledged below.
    if (notCommitted(error) && !acked) throw error;
  } finally {
    clearTimeout(timer);
  }
  await ackNow();
}
