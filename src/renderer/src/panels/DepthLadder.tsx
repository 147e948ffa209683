import { useEffect, useRef } from 'react';
import type { DepthView } from '../../../engine/contract/index';
import { writeText } from '../components/dom-text';
import { useCockpit } from '../context';
import { formatPrice, formatSize } from '../format/format';
import type { CockpitState } from '../store/types';

/** Levels shown on each side of the book. */
export const LADDER_LEVELS = 10;

interface LevelView {
  readonly row: HTMLElement;
  readonly bar: HTMLElement;
  readonly px: HTMLElement;
  readonly qty: HTMLElement;
  text: string;
  scale: string;
}

function makeLevel(parent: HTMLElement, side: 'bid' | 'ask'): LevelView {
  const row = document.createElement('div');
  row.className = `ladder-row ${side}`;
  row.setAttribute('role', 'row');
  row.dataset.testid = `depth-${side}`;
  const bar = document.createElement('div');
  bar.className = 'ladder-bar';
  bar.setAttribute('aria-hidden', 'true');
  const px = document.createElement('span');
  px.className = 'ladder-px num';
  px.setAttribute('role', 'cell');
  const qty = document.createElement('span');
  qty.className = 'ladder-qty num';
  qty.setAttribute('role', 'cell');
  row.append(bar, px, qty);
  parent.appendChild(row);
  return { row, bar, px, qty, text: '', scale: '' };
}

function writeLevel(view: LevelView, level: readonly [number, number] | undefined, tick: number, maxSize: number): void {
  const px = level === undefined ? '' : formatPrice(level[0], tick);
  const qty = level === undefined ? '' : formatSize(level[1]);
  const text = `${px}|${qty}`;
  if (view.text !== text) {
    view.text = text;
    writeText(view.px, px);
    writeText(view.qty, qty);
  }
  // A scale, not a width: the bar is redrawn without laying the row out again.
  const scale = level === undefined || maxSize <= 0 ? 'scaleX(0)' : `scaleX(${Math.min(1, level[1] / maxSize).toFixed(3)})`;
  if (view.scale !== scale) {
    view.scale = scale;
    view.bar.style.transform = scale;
  }
}

/**
 * The book's top levels, asks above and bids below, each with a bar for its size. The rows are made
 * once and written from a store subscription, so a new depth sample costs a few text writes.
 */
export function DepthLadder() {
  const { store } = useCockpit();
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = body.current;
    if (el === null) return;
    // Asks are drawn from the tenth level down to the best, so that the best levels meet in the middle.
    const asks = Array.from({ length: LADDER_LEVELS }, () => makeLevel(el, 'ask')).reverse();
    const spread = document.createElement('div');
    spread.className = 'ladder-spread';
    el.appendChild(spread);
    const bids = Array.from({ length: LADDER_LEVELS }, () => makeLevel(el, 'bid'));
    let drawn: DepthView | null | undefined;
    let drawnTick = -1;

    const onState = (s: CockpitState): void => {
      const tick = s.session?.tickSize ?? 0;
      if (s.depth === drawn && tick === drawnTick) return;
      drawn = s.depth;
      drawnTick = tick;
      const d = s.depth;
      let maxSize = 0;
      for (let i = 0; i < LADDER_LEVELS; i++) maxSize = Math.max(maxSize, d?.bids[i]?.[1] ?? 0, d?.asks[i]?.[1] ?? 0);
      for (let i = 0; i < LADDER_LEVELS; i++) {
        writeLevel(bids[i]!, tick > 0 ? d?.bids[i] : undefined, tick, maxSize);
        writeLevel(asks[i]!, tick > 0 ? d?.asks[i] : undefined, tick, maxSize);
      }
      const bestBid = d?.bids[0]?.[0];
      const bestAsk = d?.asks[0]?.[0];
      const text = bestBid !== undefined && bestAsk !== undefined && tick > 0 ? `spread ${formatPrice(bestAsk - bestBid, tick)} · ${bestAsk - bestBid}t` : '';
      writeText(spread, text);
    };
    onState(store.getState());
    const unsubscribe = store.subscribe(onState);
    return () => {
      unsubscribe();
      el.replaceChildren();
    };
  }, [store]);

  return (
    <div className="ladder" role="table" aria-label="Depth of book" data-testid="depth-ladder">
      <div className="ladder-head" role="row">
        <span className="num">Price</span>
        <span className="num">Size</span>
      </div>
      <div className="ladder-body" ref={body} />
    </div>
  );
}
