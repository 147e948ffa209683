/**
 * The historical venue on Databento MBO data: the order flow `MboFlow` rebuilt from a DBN file
 * (data/databento.ts) replays through the book by order id, and the agent trades against it under
 * `LobsterVenue`'s model (see its module comment): a resting agent order joins the back of the real
 * queue at its price; fills of real orders ahead of it (the executions of the F and the C or M that
 * follows) consume the queue ahead, cancels of orders ahead shrink it and orders that join later
 * (including a modify that loses its place) queue behind it; an execution at its price beyond the
 * queue ahead, or one on its side at a worse price, fills it. The whole book is known (MBO carries
 * every order), so the queue ahead is never unknown.
 */

import type { LevelChange, OrderBook } from '../book/types';
import { applyFlowMessage } from '../data/databento';
import type { MboFlowMessage } from '../data/databento';
import { LobsterVenue } from './lobster-venue';
import type { FlowReplay, OrderFlowRecords } from './lobster-venue';

/** The depth MBO data shows: every level (the venue's "levels" bound is never reached). */
export const MBO_FULL_DEPTH = 1_000_000;

/** Returns the rebuilt flow as the records the venue replays. */
export function mboRecords(messages: readonly MboFlowMessage[]): OrderFlowRecords {
  return {
    levels: MBO_FULL_DEPTH,
    length: messages.length,
    message: (i) => messages[i] as MboFlowMessage,
    timeAt: (i) => (messages[i] as MboFlowMessage).timeNs,
  };
}

/** Applies the rebuilt flow to the venue's book by order id (the flow was checked when it was rebuilt, so a refusal is a bug). */
function mboReplay(book: OrderBook, onLevelChange: (c: LevelChange) => void): FlowReplay {
  return {
    step(m, i) {
      if (m.kind === 'halt') return;
      applyFlowMessage(book, m, (reason) => {
        throw new Error(`the MBO venue's book refused flow message ${i} ${JSON.stringify(m)}: ${reason}`);
      }, onLevelChange);
    },
  };
}

/** Opens the MBO venue on a rebuilt flow at `startNs` (ns after the UTC midnight of the file's start; default its first message). */
export function createMboVenue(messages: readonly MboFlowMessage[], options: { readonly book: OrderBook; readonly startNs?: number }): LobsterVenue {
  return new LobsterVenue(mboRecords(messages), { book: options.book, replay: mboReplay, ...(options.startNs === undefined ? {} : { startNs: options.startNs }) });
}
