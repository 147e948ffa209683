import type { Bar } from './types';

/** Candle lengths the chart picks from, in simulated seconds. */
export const CANDLE_SECONDS: readonly number[] = [1, 2, 5, 10, 15, 30, 60];
/** New candles a wall second at most: one a frame at 60 frames a second. */
export const CANDLES_PER_WALL_SECOND_MAX = 60;

/**
 * Returns the shortest candle length, in seconds, of which at most one a frame comes at `speed`
 * simulated seconds per wall second: one second up to ×60, thirty at ×1000.
 */
export function candleSeconds(speed: number): number {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`speed must be a positive number, received ${speed}`);
  return CANDLE_SECONDS.find((s) => speed / s <= CANDLES_PER_WALL_SECOND_MAX) ?? CANDLE_SECONDS[CANDLE_SECONDS.length - 1]!;
}

/** Returns the first second of the candle of length `seconds` that `second` falls in. */
export function candleStart(second: number, seconds: number): number {
  return Math.floor(second / seconds) * seconds;
}

/**
 * Merges one-second bars (in time order) from index `from` on into candles of `seconds`, each at
 * the first second of its span: open of its first bar, close of its last, the extremes and the
 * summed volume. One-second candles are the bars themselves.
 */
export function candles(bars: readonly Bar[], seconds: number, from = 0): Bar[] {
  if (seconds === 1) return bars.slice(from);
  const out: Bar[] = [];
  let open: Bar | null = null;
  for (let i = from; i < bars.length; i++) {
    const bar = bars[i]!;
    const second = candleStart(bar.second, seconds);
    if (open === null || open.second !== second) {
      if (open !== null) out.push(open);
      open = { ...bar, second };
      continue;
    }
    open = {
      second,
      open: open.open,
      high: Math.max(open.high, bar.high),
      low: Math.min(open.low, bar.low),
      close: bar.close,
      volume: open.volume + bar.volume,
      fromTrades: open.fromTrades || bar.fromTrades,
    };
  }
  if (open !== null) out.push(open);
  return out;
}
