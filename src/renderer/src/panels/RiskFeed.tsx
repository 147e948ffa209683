import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCockpit, useCockpitState } from '../context';
import { LiveList } from '../components/live-list';
import { formatPrice, formatSimTime, formatSize } from '../format/format';
import type { CockpitState, RiskFeedRow } from '../store/types';
import { formatMeasure } from './risk-parts';

/** Which rows the feed shows. */
export type RiskFeedFilter = 'all' | 'denial' | 'alert';

/** Height of a feed row (two lines), in pixels. */
const ROW_HEIGHT = 34;

/** Returns the feed's rows that pass `filter`, newest first. */
export function filterFeed(rows: readonly RiskFeedRow[], filter: RiskFeedFilter): readonly RiskFeedRow[] {
  return filter === 'all' ? rows : rows.filter((r) => r.kind === filter);
}

/** Says what a posture rule did about an alert: "→ REDUCING: TWAP, VWAP", "restored TWAP", "alert only". */
export function alertAction(row: Extract<RiskFeedRow, { kind: 'alert' }>): string {
  const who = row.agents.join(', ');
  switch (row.action) {
    case null:
      return row.edge === 'cleared' ? 'nothing to restore' : 'no action';
    case 'ALERT':
      return 'alert only';
    case 'RESTORED':
      return `restored ${who}`;
    default:
      return row.agents.length > 0 ? `→ ${row.action}: ${who}` : `→ ${row.action}: no agent was trading`;
  }
}

/**
 * Denials and risk alerts as they happen, newest first, each with its reason in words; repeated
 * denials of one agent for one reason fold into a counted row. Drawn without React, like the
 * decisions feed.
 */
export function RiskFeed() {
  const { store } = useCockpit();
  const body = useRef<HTMLDivElement>(null);
  const [filter, setFilter] = useState<RiskFeedFilter>('all');
  const counts = useCockpitState(useShallow((s: CockpitState) => countFeed(s.riskFeed)));

  useEffect(() => {
    const el = body.current;
    if (el === null) return;
    const tick = (): number => store.getState().session?.tickSize ?? 0;
    const list = new LiveList<RiskFeedRow>(
      el,
      [
        { className: 'c-time', text: (r) => formatSimTime(r.ts) },
        { className: 'rf-tag', text: (r) => (r.kind === 'denial' ? 'DENIED' : r.edge === 'fired' ? 'FIRED' : 'CLEARED'), tone: (r) => (r.kind === 'denial' ? 'denied' : r.edge) },
        { className: 'rf-who', text: (r) => (r.kind === 'denial' ? r.agentName : r.detector), titled: true },
        {
          className: 'rf-what',
          text: (r) => (r.kind === 'denial' ? `${r.code}${r.count > 1 ? ` ×${r.count}` : ''}` : alertAction(r)),
          tone: (r) => (r.kind === 'alert' && r.action !== null && r.action !== 'RESTORED' && r.action !== 'ALERT' && r.edge === 'fired' ? 'moved' : ''),
          titled: true,
        },
        {
          className: 'rf-detail',
          text: (r) =>
            r.kind === 'denial'
              ? `${r.detail} · ${r.side} ${formatSize(r.size)} @ ${r.price === null ? 'market' : formatPrice(r.price, tick())} (${r.orderId})`
              : `${r.reason} · ${formatMeasure(r.value)} against ${formatMeasure(r.threshold)}`,
          titled: true,
        },
      ],
      'live-row risk-row',
      ROW_HEIGHT,
    );
    let drawn: readonly RiskFeedRow[] | null = null;
    const onState = (s: CockpitState): void => {
      if (s.riskFeed === drawn) return;
      drawn = s.riskFeed;
      list.render(filterFeed(s.riskFeed, filter));
    };
    onState(store.getState());
    const unsubscribe = store.subscribe(onState);
    return () => {
      unsubscribe();
      list.dispose();
    };
  }, [store, filter]);

  const option = (value: RiskFeedFilter, label: string, n: number) => (
    <button type="button" className={`view-tab ${filter === value ? 'on' : ''}`} aria-pressed={filter === value} onClick={() => setFilter(value)} data-testid={`risk-feed-filter-${value}`}>
      {label}
      {n > 0 ? ` ${n}` : ''}
    </button>
  );

  return (
    <div className="live-table risk-feed" role="table" aria-label="Risk feed: denials and alerts">
      <div className="rf-filters" role="group" aria-label="Show">
        {option('all', 'All', 0)}
        {option('denial', 'Denials', counts.denials)}
        {option('alert', 'Alerts', counts.alerts)}
      </div>
      <div className="live-body" ref={body} tabIndex={0} data-testid="risk-feed" aria-label="Denials and risk alerts, newest first" />
    </div>
  );
}

/** Counts the denials (folded ones each time they happened) and the alerts the feed holds. */
function countFeed(rows: readonly RiskFeedRow[]): { readonly denials: number; readonly alerts: number } {
  let denials = 0;
  let alerts = 0;
  for (const r of rows) {
    if (r.kind === 'denial') denials += r.count;
    else alerts += 1;
  }
  return { denials, alerts };
}
