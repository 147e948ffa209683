import type { Bar, ChartData } from './types';

/** Bars kept for the chart: almost three hours of one-second bars. */
export const MAX_BARS = 10_000;
/** Bars allowed past the cap before trimming, so the chart is redrawn in chunks, not every second. */
export const BAR_TRIM_SLACK = 1_000;
/** How far back a late price may reach into the bars before it is dropped. */
const LATE_SCAN = 600;

/**
 * Builds one-second OHLC bars during one pass over events. Copies the bars on the first change and
 * hands back the input untouched when nothing changed; a late price or a trim starts a new epoch.
 */
export class BarBuilder {
  private bars: Bar[];
  private copied = false;
  private redraw = false;

  constructor(private readonly source: ChartData) {
    this.bars = source.bars as Bar[];
  }

  /** Adds a trade; its price supersedes a mid-only bar of the same second. */
  trade(second: number, price: number, size: number): void {
    const i = this.indexFor(second);
    if (i === null) return;
    const bar = this.bars[i];
    if (bar === undefined || bar.second !== second) {
      this.insert(i, { second, open: price, high: price, low: price, close: price, volume: size, fromTrades: true });
    } else if (!bar.fromTrades) {
      this.replace(i, { second, open: price, high: price, low: price, close: price, volume: size, fromTrades: true });
    } else {
      this.replace(i, { ...bar, high: Math.max(bar.high, price), low: Math.min(bar.low, price), close: price, volume: bar.volume + size });
    }
  }

  /** Adds a mid price; it only shapes seconds without trades. */
  mid(second: number, mid: number): void {
    const i = this.indexFor(second);
    if (i === null) return;
    const bar = this.bars[i];
    if (bar === undefined || bar.second !== second) {
      this.insert(i, { second, open: mid, high: mid, low: mid, close: mid, volume: 0, fromTrades: false });
    } else if (!bar.fromTrades) {
      this.replace(i, { ...bar, high: Math.max(bar.high, mid), low: Math.min(bar.low, mid), close: mid });
    }
  }

  /** Returns the chart data after the pass: the input itself when nothing changed. */
  result(): ChartData {
    if (!this.copied) return this.source;
    let bars = this.bars;
    if (bars.length > MAX_BARS + BAR_TRIM_SLACK) {
      bars = bars.slice(bars.length - MAX_BARS);
      this.redraw = true;
    }
    return { epoch: this.redraw ? this.source.epoch + 1 : this.source.epoch, bars };
  }

  /** Returns where the bar of `second` is or belongs, or null when it is too old to place. */
  private indexFor(second: number): number | null {
    const n = this.bars.length;
    const last = this.bars[n - 1];
    if (last === undefined || second >= last.second) return second === last?.second ? n - 1 : n;
    for (let i = n - 2; i >= Math.max(0, n - LATE_SCAN); i--) {
      const bar = this.bars[i] as Bar;
      if (bar.second === second) return i;
      if (bar.second < second) return i + 1;
    }
    return n <= LATE_SCAN ? 0 : null;
  }

  private insert(i: number, bar: Bar): void {
    this.write();
    if (i < this.bars.length) this.redraw = true;
    this.bars.splice(i, 0, bar);
  }

  private replace(i: number, bar: Bar): void {
    this.write();
    if (i < this.bars.length - 1) this.redraw = true;
    this.bars[i] = bar;
  }

  private write(): void {
    if (this.copied) return;
    this.bars = this.bars.slice();
    this.copied = true;
  }
}
