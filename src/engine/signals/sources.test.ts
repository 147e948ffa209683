import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createOrderBook } from '../book/order-book';
import { LOBSTER_UNITS_PER_TICK } from '../data/lobster';
import { LobsterReplay } from '../data/lobster-replay';
import { streamLobsterPair } from '../node/files/lobster-files';
import { loadScenario } from '../node/files/sim-scenarios';
import { createSimVenue } from '../sim/sim-venue';
import { createSignalFeatures } from './features';
import { flatRowFromL2, lobsterTrade, VenueEventFeed } from './sources';

const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/lobster');
const AMZN = {
  messages: `${DATA}/AMZN_2012-06-21_34200000_57600000_message_1.csv.gz`,
  orderbook: `${DATA}/AMZN_2012-06-21_34200000_57600000_orderbook_1.csv.gz`,
  levels: 1,
};

describe('feature sources', () => {
  it('giveTheSameFeaturesFromTheFileRowsAndFromTheBookTheMessagesRebuild', async () => {
    // A live venue's book is an order book fed messages; the file rows are what LOBSTER saw. Same features, every event.
    const fromFile = createSignalFeatures({ levels: 1, tickSize: LOBSTER_UNITS_PER_TICK });
    const fromBook = createSignalFeatures({ levels: 1, tickSize: LOBSTER_UNITS_PER_TICK });
    const replay = new LobsterReplay(createOrderBook(), 1);
    const row = new Float64Array(4);
    let events = 0;
    let differing = 0;
    await streamLobsterPair(AMZN, (m, fileRow) => {
      replay.step(m, fileRow);
      const trade = lobsterTrade(m);
      fromFile.onEvent(m.timeNs, fileRow, trade);
      fromBook.onEvent(m.timeNs, flatRowFromL2(replay.orderBook.l2(1), 1, row), trade);
      const a = fromFile.vector();
      const b = fromBook.vector();
      for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) differing++;
      events++;
    });
    expect(events).toBe(57_515);
    expect(differing).toBe(0);
  });

  it('keepTheSimulatorsBookFromItsVenueEvents', () => {
    const venue = createSimVenue(loadScenario('calm'), 3, { marketEvents: true });
    const feed = new VenueEventFeed(5, () => undefined);
    let emitted = 0;
    let traded = 0;
    const counting = new VenueEventFeed(5, (_ts, _row, trade) => {
      emitted++;
      if (trade) traded += trade.size;
    });
    feed.resync(venue.l2(50));
    counting.resync(venue.l2(50));
    let printed = 0;
    for (let step = 0; step < 600; step++) {
      const r = venue.elapse(100_000_000);
      feed.push(r.events);
      counting.push(r.events);
      for (const e of r.events) if (e.kind === 'TradePrinted') printed += e.size;
      expect([...feed.current()]).toEqual([...flatRowFromL2(venue.l2(5), 5)]);
    }
    expect(emitted).toBeGreaterThan(100);
    expect(traded).toBe(printed);
    expect(printed).toBeGreaterThan(0);
  });
});
