import { useEffect, useRef } from 'react';
import { useCockpit } from '../context';
import { LiveList } from '../components/live-list';
import { formatPrice, formatSimTime, formatSize } from '../format/format';
import type { CockpitState, DecisionRow } from '../store/types';
import { renderDecisionDetail } from './decision-detail';

/** Height of an open decision's detail, in pixels. */
const DETAIL_HEIGHT = 168;

/**
 * Why agents act: every decision, newest on top, drawn without React. A click, or Enter on the
 * cursor row (arrow keys move it), opens a decision to show its inputs and, for a learned policy,
 * what it valued and which features drove it.
 */
export function DecisionsFeed() {
  const { store } = useCockpit();
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = body.current;
    if (el === null) return;
    const tick = (): number => store.getState().session?.tickSize ?? 0;
    const list = new LiveList<DecisionRow>(
      el,
      [
        { className: 'c-time', text: (r) => formatSimTime(r.ts) },
        { className: 'c-agent', text: (r) => r.agentName, titled: true },
        { className: 'c-action', text: (r) => r.action, tone: (r) => actionTone(r.action) },
        { className: 'c-qty num', text: (r) => (r.size > 0 ? formatSize(r.size) : '') },
        { className: 'c-px num', text: (r) => (r.price === null ? '' : formatPrice(r.price, tick())) },
        { className: 'c-reason', text: (r) => `${r.explanation !== null ? '◆ ' : ''}${r.reason}`, titled: true },
      ],
      'live-row decision',
      20,
      { key: (r) => String(r.seq), height: DETAIL_HEIGHT, render: (r, detail) => renderDecisionDetail(r, detail, formatPrice(r.price, tick())) },
    );
    const onClick = (e: MouseEvent): void => {
      const row = list.rowAt(e.target);
      if (row === null) return;
      // Clicks inside an open detail (selecting text) leave it open.
      if (e.target instanceof Element && e.target.closest('.live-detail') !== null) return;
      list.toggle(row);
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') list.moveCursor(e.key === 'ArrowDown' ? 1 : -1);
      else if (e.key === 'Home') list.moveCursor(-Number.MAX_SAFE_INTEGER);
      else if (e.key === 'Escape') list.collapse();
      else if (e.key === 'Enter' || e.key === ' ') {
        const row = list.cursor();
        if (row === null) list.moveCursor(1);
        else list.toggle(row);
      } else return;
      e.preventDefault();
    };
    el.addEventListener('click', onClick);
    el.addEventListener('keydown', onKey);
    let drawn: readonly DecisionRow[] | null = null;
    const onState = (s: CockpitState): void => {
      if (s.decisions === drawn) return;
      drawn = s.decisions;
      list.render(s.decisions);
    };
    onState(store.getState());
    const unsubscribe = store.subscribe(onState);
    return () => {
      unsubscribe();
      el.removeEventListener('click', onClick);
      el.removeEventListener('keydown', onKey);
      list.dispose();
    };
  }, [store]);

  return (
    <div className="live-table decisions" role="table" aria-label="Agent decisions">
      <div className="live-head" role="row">
        <span className="c-time">Time</span>
        <span className="c-agent">Agent</span>
        <span className="c-action">Action</span>
        <span className="c-qty num">Size</span>
        <span className="c-px num">Price</span>
        <span className="c-reason">Reason</span>
      </div>
      <div
        className="live-body"
        ref={body}
        tabIndex={0}
        data-testid="decisions-feed"
        aria-label="Decisions: arrow keys move, Enter opens a decision's inputs and explanation"
      />
    </div>
  );
}

function actionTone(action: string): string {
  const a = action.toLowerCase();
  if (a.includes('cross') || a.includes('aggress') || a.includes('market') || a.includes('take')) return 'hot';
  if (a.includes('wait') || a.includes('hold') || a.includes('skip') || a.includes('none')) return 'quiet';
  return '';
}
