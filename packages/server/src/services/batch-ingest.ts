/**
 * The native batch: each item validated and resolved on its own, the valid events written in
 * one group commit, the answer listing exactly which items were refused and why. A bad item
 * never fails the others; only an outage (database down) fails the request. Load shedding
 * happens before, at admission (load-shedder.ts).
 */
import { ErrorCode, Limits, type BatchRejection } from '@tessera/protocol';
import { TesseraError, invalidInput, isTesseraError } from '../errors.ts';
import { recordBatchSize, recordRejectedEvent } from '../metrics/registry.ts';
import { FOREIGN_KEY_VIOLATION, sqlState } from '../storage/database.ts';
import { clockSkewMs } from '../validation/index.ts';
import type { Caller, TrackInput } from './caller.ts';
import type { EventRow, EventWriter } from './event-writer.ts';
import type { IdFields } from './identity.ts';
import type { TrackingService } from './tracking.ts';

const fields: IdFields = { uid: 'uid', anonymousUid: 'anonymousUid' };

export interface BatchResult {
  accepted: number;
  rejected: Array<BatchRejection & { error: TesseraError }>;
}

export class BatchIngest {
  constructor(
    private readonly tracking: TrackingService,
    private readonly writer: EventWriter,
  ) {}

  async ingest(caller: Caller, items: unknown, sentAt: unknown, receivedAt = new Date()): Promise<BatchResult> {
    if (!Array.isArray(items)) throw invalidInput('batch must be a list of items');
    if (items.length > Limits.maxBatchItems) {
      throw new TesseraError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        `A batch holds at most ${Limits.maxBatchItems} items (got ${items.length}): split it`,
      );
    }
    recordBatchSize(items.length);
    const skewMs = clockSkewMs(sentAt, receivedAt);
    const rejected: BatchResult['rejected'] = [];
    /** `counted`: tracking.track has already counted this refusal. */
    const reject = (index: number, err: unknown, counted = false) => {
      if (!isTesseraError(err) || err.code === ErrorCode.UNAVAILABLE || err.code === ErrorCode.INTERNAL) throw err;
      if (!counted) recordRejectedEvent(err.code);
      rejected.push({ index, code: err.code, message: err.message, error: err });
    };

    // Items in order: an identify earlier in the batch is visible to the tracks after it.
    const events: Array<{ index: number; input: TrackInput; row: EventRow }> = [];
    for (const [index, item] of items.entries()) {
      try {
        const parsed = parseItem(item, skewMs);
        if (parsed.type === 'identify') {
          await this.tracking.identify(caller, parsed.input, fields);
        } else {
          events.push({
            index,
            input: parsed.input,
            row: await this.tracking.prepareEvent(caller, parsed.input, receivedAt, fields),
          });
        }
      } catch (err) {
        reject(index, err);
      }
    }

    const written = await Promise.allSettled(events.map((e) => this.writer.enqueue(e.row)));
    for (const [i, outcome] of written.entries()) {
      if (outcome.status === 'fulfilled') continue;
      const { index, input } = events[i]!;
      // The account was deleted meanwhile: resolve it again, once.
      if (sqlState(outcome.reason) === FOREIGN_KEY_VIOLATION) {
        try {
          await this.tracking.track(caller, input, receivedAt, fields);
          continue;
        } catch (err) {
          reject(index, err, true);
          continue;
        }
      }
      reject(index, outcome.reason);
    }
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: items.length - rejected.length, rejected };
  }
}

type ParsedItem =
  | { type: 'identify'; input: { uid?: unknown; anonymousUid?: unknown; traits: Record<string, unknown> } }
  | { type: 'track'; input: TrackInput };

function parseItem(item: unknown, skewMs: number): ParsedItem {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    throw invalidInput('Each item must be an object');
  const i = item as Record<string, unknown>;
  if (i.type === 'identify') {
    const traits = i.traits ?? {};
    if (typeof traits !== 'object' || traits === null || Array.isArray(traits))
      throw invalidInput('traits must be an object');
    return {
      type: 'identify',
      input: { uid: i.uid, anonymousUid: i.anonymousUid, traits: traits as Record<string, unknown> },
    };
  }
  if (i.type === 'track') {
    return {
      type: 'track',
      input: {
        event: i.event,
        uid: i.uid,
        anonymousUid: i.anonymousUid,
        data: i.data,
        timestamp: i.timestamp,
        systemContext: i.context,
        messageId: i.messageId,
        skewMs,
      },
    };
  }
  throw invalidInput('type must be "identify" or "track"');
}
