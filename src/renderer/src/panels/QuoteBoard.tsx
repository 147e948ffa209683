import { useRef } from 'react';
import { writeText } from '../components/dom-text';
import { useStoreListener } from '../context';
import { formatPrice, formatSimTime, formatSize } from '../format/format';
import { midOf } from '../store/reduce';
import type { CockpitState } from '../store/types';

function setText(el: HTMLElement | null, text: string): void {
  if (el !== null) writeText(el, text);
}

const selectQuoteView = (s: CockpitState) => s.quote;
const selectTradeView = (s: CockpitState) => s.lastTrade;

/** The inside market and the last trade, written straight to the DOM as they change. */
export function QuoteBoard() {
  const bid = useRef<HTMLSpanElement>(null);
  const bidSize = useRef<HTMLSpanElement>(null);
  const ask = useRef<HTMLSpanElement>(null);
  const askSize = useRef<HTMLSpanElement>(null);
  const spread = useRef<HTMLSpanElement>(null);
  const mid = useRef<HTMLSpanElement>(null);
  const last = useRef<HTMLSpanElement>(null);
  const lastMeta = useRef<HTMLSpanElement>(null);

  useStoreListener(selectQuoteView, (q, s) => {
    const tick = s.session?.tickSize ?? 0;
    if (q === null || tick <= 0) {
      for (const r of [bid, bidSize, ask, askSize, spread, mid]) setText(r.current, '—');
      return;
    }
    setText(bid.current, q.bid > 0 ? formatPrice(q.bid, tick) : '—');
    setText(ask.current, q.ask > 0 ? formatPrice(q.ask, tick) : '—');
    setText(bidSize.current, formatSize(q.bidSize));
    setText(askSize.current, formatSize(q.askSize));
    const m = midOf(q);
    setText(mid.current, m === null ? '—' : formatPrice(m, tick, 1));
    setText(spread.current, m === null ? '—' : `${formatPrice(q.ask - q.bid, tick)} · ${q.ask - q.bid}t`);
  });

  useStoreListener(selectTradeView, (t, s) => {
    const tick = s.session?.tickSize ?? 0;
    const el = last.current;
    if (t === null || tick <= 0 || el === null) {
      setText(el, '—');
      setText(lastMeta.current, '');
      return;
    }
    const previous = Number(el.dataset.ticks ?? t.price);
    if (t.price !== previous) el.dataset.dir = t.price > previous ? 'up' : 'down';
    el.dataset.ticks = String(t.price);
    setText(el, formatPrice(t.price, tick));
    setText(lastMeta.current, `${formatSize(t.size)} @ ${formatSimTime(t.ts)}`);
  });

  return (
    <div className="quote-board">
      <div className="last-block">
        <span className="label">Last</span>
        <span className="last-price" ref={last} data-testid="last-price">
          —
        </span>
        <span className="last-meta" ref={lastMeta} />
      </div>
      <div className="bbo" role="table" aria-label="Best bid and offer">
        <div className="bbo-side bid" role="row">
          <span className="label">Bid</span>
          <span className="px" ref={bid} data-testid="bid-price">
            —
          </span>
          <span className="qty" ref={bidSize}>
            —
          </span>
        </div>
        <div className="bbo-side ask" role="row">
          <span className="label">Ask</span>
          <span className="px" ref={ask} data-testid="ask-price">
            —
          </span>
          <span className="qty" ref={askSize}>
            —
          </span>
        </div>
      </div>
      <div className="bbo-stats">
        <span>
          <span className="label">Spread</span> <span ref={spread}>—</span>
        </span>
        <span>
          <span className="label">Mid</span> <span ref={mid}>—</span>
        </span>
      </div>
    </div>
  );
}
