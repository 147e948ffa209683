import type { Rng } from '../core/rng';
import type { Side } from '../book/types';

/** Top of book of the stand-in market, in ticks and lots. */
export interface Quote {
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
}

export type MarketHappening =
  | { readonly kind: 'quote'; readonly quote: Readonly<Quote> }
  | { readonly kind: 'trade'; readonly price: number; readonly size: number; readonly aggressor: Side };

export interface StandInMarketConfig {
  /** Starting mid in ticks. */
  readonly startMid: number;
  /** Quote updates per simulated second. */
  readonly quoteRate: number;
  /** Trades per simulated second. */
  readonly tradeRate: number;
  /** Mean displayed size at the touch, in lots. */
  readonly touchSize: number;
  /** Mean trade size, in lots. */
  readonly tradeSize: number;
}

export const DEFAULT_STANDIN: StandInMarketConfig = {
  startMid: 10_000,
  quoteRate: 8,
  tradeRate: 3,
  touchSize: 800,
  tradeSize: 150,
};

/**
 * A stand-in market: seeded order flow reduced to a top of book. Quote updates and trades arrive as
 * Poisson processes at simulated times drawn from the Rng, so the happenings depend on the seed alone,
 * never on how the caller slices time. Agent orders take the displayed size at the touch and move
 * the quote when they exhaust it. The market simulator replaces it.
 */
export class StandInMarket {
  private readonly q: Quote;
  private nextQuoteAt: number;
  private nextTradeAt: number;

  constructor(
    private readonly rng: Rng,
    startNs: number,
    private readonly config: StandInMarketConfig = DEFAULT_STANDIN,
  ) {
    const half = 1;
    this.q = {
      bid: config.startMid - half,
      ask: config.startMid + half,
      bidSize: this.drawSize(config.touchSize),
      askSize: this.drawSize(config.touchSize),
    };
    this.nextQuoteAt = startNs + this.gap(config.quoteRate);
    this.nextTradeAt = startNs + this.gap(config.tradeRate);
  }

  /** Returns the current top of book. */
  quote(): Readonly<Quote> {
    return this.q;
  }

  /** Returns the mid in ticks. */
  mid(): number {
    return (this.q.bid + this.q.ask) / 2;
  }

  /** Returns the time of the next happening, in ns. */
  nextEventAt(): number {
    return Math.min(this.nextQuoteAt, this.nextTradeAt);
  }

  /** Carries out the next happening (at `nextEventAt()`) and returns what happened. */
  fire(): MarketHappening[] {
    if (this.nextQuoteAt <= this.nextTradeAt) {
      const at = this.nextQuoteAt;
      this.nextQuoteAt = at + this.gap(this.config.quoteRate);
      this.moveQuote();
      return [{ kind: 'quote', quote: { ...this.q } }];
    }
    const at = this.nextTradeAt;
    this.nextTradeAt = at + this.gap(this.config.tradeRate);
    const aggressor: Side = this.rng.chance(0.5) ? 'buy' : 'sell';
    const size = this.drawSize(this.config.tradeSize);
    return this.take(aggressor, size);
  }

  /**
   * Takes up to `size` lots from the touch on the side opposite `aggressor`, walking the price a
   * tick at a time when the displayed size runs out. Returns the trades and the new quote.
   */
  take(aggressor: Side, size: number): MarketHappening[] {
    const out: MarketHappening[] = [];
    let left = size;
    while (left > 0) {
      if (aggressor === 'sell') {
        const n = Math.min(left, this.q.bidSize);
        out.push({ kind: 'trade', price: this.q.bid, size: n, aggressor });
        left -= n;
        this.q.bidSize -= n;
        if (this.q.bidSize === 0) {
          this.q.bid -= 1;
          this.q.bidSize = this.drawSize(this.config.touchSize);
          if (this.q.ask - this.q.bid > 4) {
            this.q.ask -= 1;
            this.q.askSize = this.drawSize(this.config.touchSize);
          }
        }
      } else {
        const n = Math.min(left, this.q.askSize);
        out.push({ kind: 'trade', price: this.q.ask, size: n, aggressor });
        left -= n;
        this.q.askSize -= n;
        if (this.q.askSize === 0) {
          this.q.ask += 1;
          this.q.askSize = this.drawSize(this.config.touchSize);
          if (this.q.ask - this.q.bid > 4) {
            this.q.bid += 1;
            this.q.bidSize = this.drawSize(this.config.touchSize);
          }
        }
      }
    }
    out.push({ kind: 'quote', quote: { ...this.q } });
    return out;
  }

  private moveQuote(): void {
    const u = this.rng.next();
    if (u < 0.3) {
      const step = this.rng.chance(0.5) ? 1 : -1;
      this.q.bid += step;
      this.q.ask += step;
      this.q.bidSize = this.drawSize(this.config.touchSize);
      this.q.askSize = this.drawSize(this.config.touchSize);
    } else if (u < 0.45 && this.q.ask - this.q.bid > 1) {
      if (this.rng.chance(0.5)) this.q.bid += 1;
      else this.q.ask -= 1;
    } else if (u < 0.55 && this.q.ask - this.q.bid < 4) {
      if (this.rng.chance(0.5)) this.q.bid -= 1;
      else this.q.ask += 1;
    } else {
      this.q.bidSize = Math.max(1, this.q.bidSize + Math.round(this.rng.normal() * this.config.touchSize * 0.2));
      this.q.askSize = Math.max(1, this.q.askSize + Math.round(this.rng.normal() * this.config.touchSize * 0.2));
    }
  }

  private gap(ratePerSecond: number): number {
    return Math.max(1, Math.round(this.rng.exponential(ratePerSecond) * 1e9));
  }

  private drawSize(mean: number): number {
    return Math.max(1, Math.round(this.rng.exponential(1 / mean)));
  }
}
