import { useEffect, useRef } from 'react';
import { useCockpit } from '../context';
import { LiveList } from '../components/live-list';
import { formatPrice, formatSimTime, formatSize } from '../format/format';
import type { CockpitState, TapeRow } from '../store/types';

/** Time & sales: the most recent trades, newest on top, drawn without React. */
export function TradeTape() {
  const { store } = useCockpit();
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = body.current;
    if (el === null) return;
    let tick = 0;
    const list = new LiveList<TapeRow>(el, [
      { className: 'c-time', text: (r) => formatSimTime(r.ts) },
      { className: 'c-px num', text: (r) => formatPrice(r.price, tick), tone: (r) => r.aggressor ?? '' },
      { className: 'c-qty num', text: (r) => formatSize(r.size) },
      { className: 'c-side', text: (r) => (r.aggressor === 'buy' ? 'B' : r.aggressor === 'sell' ? 'S' : '·'), tone: (r) => r.aggressor ?? '' },
    ]);
    let drawn: readonly TapeRow[] | null = null;
    const onState = (s: CockpitState): void => {
      const t = s.session?.tickSize ?? 0;
      if (s.tape === drawn && t === tick) return;
      drawn = s.tape;
      tick = t;
      list.render(s.tape);
    };
    onState(store.getState());
    const unsubscribe = store.subscribe(onState);
    return () => {
      unsubscribe();
      list.dispose();
    };
  }, [store]);

  return (
    <div className="live-table tape" role="table" aria-label="Time and sales">
      <div className="live-head" role="row">
        <span className="c-time">Time</span>
        <span className="c-px num">Price</span>
        <span className="c-qty num">Size</span>
        <span className="c-side">Agg</span>
      </div>
      <div className="live-body" ref={body} />
    </div>
  );
}
