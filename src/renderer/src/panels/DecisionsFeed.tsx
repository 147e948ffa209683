import { useEffect, useRef } from 'react';
import { useCockpit } from '../context';
import { LiveList } from '../components/live-list';
import { formatSimTime, formatSize } from '../format/format';
import type { CockpitState, DecisionRow } from '../store/types';

/** Why agents act: every decision, newest on top, drawn without React. */
export function DecisionsFeed() {
  const { store } = useCockpit();
  const body = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = body.current;
    if (el === null) return;
    const list = new LiveList<DecisionRow>(
      el,
      [
        { className: 'c-time', text: (r) => formatSimTime(r.ts) },
        { className: 'c-agent', text: (r) => r.agentName, titled: true },
        { className: 'c-action', text: (r) => r.action, tone: (r) => actionTone(r.action) },
        { className: 'c-qty num', text: (r) => (r.size > 0 ? formatSize(r.size) : '') },
        { className: 'c-reason', text: (r) => r.reason, titled: true },
      ],
      'live-row decision',
    );
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
        <span className="c-reason">Reason</span>
      </div>
      <div className="live-body" ref={body} />
    </div>
  );
}

function actionTone(action: string): string {
  const a = action.toLowerCase();
  if (a.includes('cross') || a.includes('aggress') || a.includes('market') || a.includes('take')) return 'hot';
  if (a.includes('wait') || a.includes('hold') || a.includes('skip') || a.includes('none')) return 'quiet';
  return '';
}
