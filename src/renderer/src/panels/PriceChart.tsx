import { useEffect, useRef } from 'react';
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  LineStyle,
  MismatchDirection,
  createChart,
  createSeriesMarkers,
  type CandlestickData,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type SeriesMarker,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useCockpit } from '../context';
import { chartTime, formatSize, priceDecimals, simSecond, ticksToPrice } from '../format/format';
import { candleSeconds, candleStart, candles } from '../store/candles';
import { runningVwap } from '../store/orders';
import type { Bar, ChartData, CockpitState, SignalState } from '../store/types';

/** Each agent's colour on the chart, by its place in the session's agents. */
export const AGENT_COLOURS = ['#4c9aff', '#f0b429', '#c792ea', '#3fcf8e', '#ff8a65', '#80deea', '#f48fb1', '#aed581'] as const;
/** Working orders drawn at their prices at most (the newest). */
const WORKING_LINES_MAX = 12;
/** The overlays (fills, VWAP lines, arrival and working-order lines) are redrawn at most this often. */
const OVERLAY_EVERY_MS = 250;

/** Returns an agent's colour: its place among the session's agents, in order. */
export function agentColour(agents: CockpitState['agents'], agentId: string): string {
  let i = 0;
  for (const id of agents.keys()) {
    if (id === agentId) return AGENT_COLOURS[i % AGENT_COLOURS.length]!;
    i += 1;
  }
  return '#8b96a5';
}

/** A short name for an agent on the price axis: the first word of its name (TWAP, PPO, Trader…). */
function shortName(state: CockpitState, agentId: string): string {
  return (state.agents.get(agentId)?.name ?? agentId).split(' ')[0] ?? agentId;
}

function candle(bar: Bar, tickSize: number): CandlestickData<UTCTimestamp> {
  return {
    time: chartTime(bar.second) as UTCTimestamp,
    open: ticksToPrice(bar.open, tickSize),
    high: ticksToPrice(bar.high, tickSize),
    low: ticksToPrice(bar.low, tickSize),
    close: ticksToPrice(bar.close, tickSize),
  };
}

/**
 * The live price chart: one-second candles, or longer ones when the session runs faster than ×60
 * (candleSeconds), so that at most one new candle comes a frame. A new epoch (snapshot, trim, late
 * price) or candle length redraws with `setData`; otherwise only the candles from the last one
 * drawn onwards go through `update`. Over them:
 * every agent's fills as arrows (up for a buy, below the bar; down for a sell, above it), each
 * agent's running VWAP as a line and its arrival mid as a dashed price line, and the working
 * orders as dotted lines at their prices, each in the agent's colour. Beneath them, the market
 * signal's direction once a second as a histogram (up green, down red).
 */
export function PriceChart() {
  const { store } = useCockpit();
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const css = getComputedStyle(document.documentElement);
    const color = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
    const up = color('--buy', '#26a69a');
    const down = color('--sell', '#ef5350');
    const chart: IChartApi = createChart(el, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: color('--panel', '#11161d') },
        textColor: color('--text-dim', '#8b96a5'),
        fontFamily: color('--font-mono', 'monospace'),
        fontSize: 11,
      },
      grid: { vertLines: { color: color('--grid', '#1b222c') }, horzLines: { color: color('--grid', '#1b222c') } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: color('--border', '#232b36') },
      timeScale: { borderColor: color('--border', '#232b36'), timeVisible: true, secondsVisible: true, rightOffset: 4 },
    });
    const series: ISeriesApi<'Candlestick'> = chart.addSeries(CandlestickSeries, {
      upColor: up,
      downColor: down,
      borderUpColor: up,
      borderDownColor: down,
      wickUpColor: up,
      wickDownColor: down,
    });

    // The market signal's direction (P(up) − P(down)) once a second, in the bottom fifth on a scale of its own.
    const signalSeries: ISeriesApi<'Histogram'> = chart.addSeries(HistogramSeries, { priceScaleId: 'signal', priceFormat: { type: 'price', precision: 2, minMove: 0.01 }, lastValueVisible: false, priceLineVisible: false, title: 'signal' });
    chart.priceScale('signal').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
    // One bar a candle, the candle's last reading: a point between candles would add a time to the scale.
    const signalPoint = (p: SignalState['series'][number]) => ({ time: chartTime(candleStart(p.second, drawnSeconds)) as UTCTimestamp, value: p.direction, color: p.direction >= 0 ? up : down });
    let drawnSignal: SignalState['series'] = [];
    const drawSignal = (points: SignalState['series'], anew = false): void => {
      const before = drawnSignal;
      drawnSignal = points;
      // A shorter or restarted series (a snapshot, a trim) or a new candle length is drawn anew; otherwise the last point and the new ones go through update.
      if (anew || points.length === 0 || before.length === 0 || points.length < before.length || points[0] !== before[0] && points[0]!.second !== before[0]!.second) {
        const byCandle = new Map<number, ReturnType<typeof signalPoint>>();
        for (const p of points) { const bar = signalPoint(p); byCandle.set(bar.time, bar); }
        signalSeries.setData([...byCandle.values()]);
        return;
      }
      const lastSecond = before[before.length - 1]!.second;
      let from = points.length;
      while (from > 0 && points[from - 1]!.second >= lastSecond) from--;
      for (let i = from; i < points.length; i++) signalSeries.update(signalPoint(points[i]!));
    };

    const marks = createSeriesMarkers(series, []);
    // The fills are marked from one screen's width left of the view onwards: the markers are
    // placed again on every data change, so all of a long session's fills would cost that much per
    // new bar. Scrolling back past the marked part marks again from there.
    const markedSince = (): number => {
      const range = chart.timeScale().getVisibleLogicalRange();
      if (range === null) return -Infinity;
      const left = series.dataByIndex(Math.floor(range.from - (range.to - range.from)), MismatchDirection.NearestRight);
      return left === null ? -Infinity : (left.time as number);
    };
    let marksFrom = -Infinity;
    /** The length of the candles drawn, seconds. */
    let drawnSeconds = 1;
    const vwapLines = new Map<string, ISeriesApi<'Line'>>();
    let priceLines: IPriceLine[] = [];
    let overlaid: { fills: CockpitState['fills']; orders: CockpitState['orders']; agents: CockpitState['agents'] } | null = null;
    let overlayAt = -Infinity;
    let overlayTimer: ReturnType<typeof setTimeout> | null = null;
    const drawOverlays = (s: CockpitState, tickSize: number): void => {
      overlaid = { fills: s.fills, orders: s.orders, agents: s.agents };
      overlayAt = performance.now();
      const price = (ticks: number): number => ticksToPrice(ticks, tickSize);
      const at = (ts: number): number => chartTime(candleStart(simSecond(ts), drawnSeconds));
      marksFrom = markedSince();
      const fillMarks: SeriesMarker<UTCTimestamp>[] = [];
      for (const f of s.fills) {
        const time = at(f.ts);
        if (time < marksFrom) continue;
        fillMarks.push({ time: time as UTCTimestamp, position: f.side === 'buy' ? 'belowBar' : 'aboveBar', shape: f.side === 'buy' ? 'arrowUp' : 'arrowDown', color: agentColour(s.agents, f.agentId), size: 0.5 });
      }
      marks.setMarkers(fillMarks);
      const vwaps = runningVwap(s.fills);
      // An agent with no fills (a new session's, or the fills cleared by a reset) has no VWAP line.
      for (const [agentId, line] of vwapLines) {
        if (vwaps.has(agentId)) continue;
        chart.removeSeries(line);
        vwapLines.delete(agentId);
      }
      for (const [agentId, points] of vwaps) {
        let line = vwapLines.get(agentId);
        if (line === undefined) {
          line = chart.addSeries(LineSeries, { color: agentColour(s.agents, agentId), lineWidth: 1, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false, title: `${shortName(s, agentId)} VWAP` });
          vwapLines.set(agentId, line);
        }
        // One point a candle (the chart's time step): the VWAP after the candle's last fill.
        const byCandle = new Map<number, number>();
        for (const [ts, avg] of points) byCandle.set(at(ts), avg);
        line.setData([...byCandle].map(([time, avg]) => ({ time: time as UTCTimestamp, value: price(avg) })));
      }
      for (const l of priceLines) series.removePriceLine(l);
      priceLines = [];
      for (const a of s.agents.values()) {
        if (a.arrivalMid === null || (a.state !== 'running' && a.state !== 'paused')) continue;
        priceLines.push(series.createPriceLine({ price: price(a.arrivalMid), color: agentColour(s.agents, a.id), lineStyle: LineStyle.Dashed, lineWidth: 1, axisLabelVisible: true, title: `${shortName(s, a.id)} arrival` }));
      }
      const working = [...s.orders.values()].filter((o) => o.state === 'working' && o.price !== null).slice(-WORKING_LINES_MAX);
      for (const o of working) {
        priceLines.push(
          series.createPriceLine({ price: price(o.price!), color: agentColour(s.agents, o.agentId), lineStyle: LineStyle.Dotted, lineWidth: 1, axisLabelVisible: false, title: `${shortName(s, o.agentId)} ${o.side} ${formatSize(o.size - o.filled)}` }),
        );
      }
    };
    const overlays = (s: CockpitState, tickSize: number): void => {
      if (overlaid !== null && overlaid.fills === s.fills && overlaid.orders === s.orders && overlaid.agents === s.agents) return;
      const wait = overlayAt + OVERLAY_EVERY_MS - performance.now();
      if (wait <= 0) return drawOverlays(s, tickSize);
      if (overlayTimer !== null) return;
      overlayTimer = setTimeout(() => {
        overlayTimer = null;
        const now = store.getState();
        if ((now.session?.tickSize ?? 0) > 0) drawOverlays(now, now.session!.tickSize);
      }, wait);
    };

    const onRange = (): void => {
      if (overlaid === null || markedSince() >= marksFrom) return;
      overlaid = null;
      const s = store.getState();
      if ((s.session?.tickSize ?? 0) > 0) overlays(s, s.session!.tickSize);
    };
    chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);

    let drawnEpoch = -1;
    /** The first second of the last candle drawn. */
    let drawnLast = -Infinity;
    let drawnTick = 0;
    const draw = (data: ChartData, tickSize: number, seconds: number): void => {
      if (tickSize !== drawnTick) {
        drawnTick = tickSize;
        series.applyOptions({ priceFormat: { type: 'price', minMove: tickSize, precision: priceDecimals(tickSize) } });
        drawnEpoch = -1;
      }
      if (seconds !== drawnSeconds) {
        drawnSeconds = seconds;
        drawnEpoch = -1;
        // The fills and VWAP lines move to the new candles' times.
        overlaid = null;
      }
      const bars = data.bars;
      if (data.epoch !== drawnEpoch) {
        drawnEpoch = data.epoch;
        const all = candles(bars, seconds);
        series.setData(all.map((b) => candle(b, tickSize)));
        drawnLast = all[all.length - 1]?.second ?? -Infinity;
        return;
      }
      let from = bars.length;
      while (from > 0 && bars[from - 1]!.second >= drawnLast) from--;
      const tail = candles(bars, seconds, from);
      for (const c of tail) series.update(candle(c, tickSize));
      drawnLast = tail[tail.length - 1]?.second ?? drawnLast;
    };

    let last: ChartData | null = null;
    let lastTick = 0;
    let lastSeconds = 1;
    /** The candle length the signal bars were drawn for. */
    let signalSeconds = 1;
    const onState = (s: ReturnType<typeof store.getState>): void => {
      const tickSize = s.session?.tickSize ?? 0;
      if (tickSize <= 0) return;
      const seconds = candleSeconds(s.session!.speed);
      if (s.chart !== last || tickSize !== lastTick || seconds !== lastSeconds) {
        last = s.chart;
        lastTick = tickSize;
        lastSeconds = seconds;
        draw(s.chart, tickSize, seconds);
      }
      if (s.signal.series !== drawnSignal || signalSeconds !== drawnSeconds) {
        const anew = signalSeconds !== drawnSeconds;
        signalSeconds = drawnSeconds;
        drawSignal(s.signal.series, anew);
      }
      overlays(s, tickSize);
    };
    onState(store.getState());
    const unsubscribe = store.subscribe(onState);
    return () => {
      unsubscribe();
      chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
      if (overlayTimer !== null) clearTimeout(overlayTimer);
      chart.remove();
    };
  }, [store]);

  return <div className="price-chart" ref={host} data-testid="price-chart" />;
}
