import { useEffect, useRef } from 'react';
import { CandlestickSeries, ColorType, CrosshairMode, createChart, type CandlestickData, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useCockpit } from '../context';
import { chartTime, priceDecimals, ticksToPrice } from '../format/format';
import type { Bar, ChartData } from '../store/types';

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
 * The live price chart: one-second candles. A new epoch (snapshot, trim, late price) redraws with
 * `setData`; otherwise only the bars from the last one drawn onwards go through `update`.
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

    let drawnEpoch = -1;
    let drawnLast = -Infinity;
    let drawnTick = 0;
    const draw = (data: ChartData, tickSize: number): void => {
      if (tickSize !== drawnTick) {
        drawnTick = tickSize;
        series.applyOptions({ priceFormat: { type: 'price', minMove: tickSize, precision: priceDecimals(tickSize) } });
        drawnEpoch = -1;
      }
      const bars = data.bars;
      if (data.epoch !== drawnEpoch) {
        drawnEpoch = data.epoch;
        series.setData(bars.map((b) => candle(b, tickSize)));
        drawnLast = bars[bars.length - 1]?.second ?? -Infinity;
        return;
      }
      let from = bars.length;
      while (from > 0 && bars[from - 1]!.second >= drawnLast) from--;
      for (let i = from; i < bars.length; i++) series.update(candle(bars[i]!, tickSize));
      drawnLast = bars[bars.length - 1]?.second ?? drawnLast;
    };

    let last: ChartData | null = null;
    let lastTick = 0;
    const onState = (s: ReturnType<typeof store.getState>): void => {
      const tickSize = s.session?.tickSize ?? 0;
      if (tickSize <= 0 || (s.chart === last && tickSize === lastTick)) return;
      last = s.chart;
      lastTick = tickSize;
      draw(s.chart, tickSize);
    };
    onState(store.getState());
    const unsubscribe = store.subscribe(onState);
    return () => {
      unsubscribe();
      chart.remove();
    };
  }, [store]);

  return <div className="price-chart" ref={host} data-testid="price-chart" />;
}
