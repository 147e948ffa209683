import { memo } from 'react';
import { useCockpitState } from '../context';
import { formatSimTime } from '../format/format';
import type { ActivityRow } from '../store/types';

const Row = memo(function Row({ row }: { row: ActivityRow }) {
  return (
    <li className={`activity-row tone-${row.tone}`}>
      <span className="c-time">{formatSimTime(row.ts)}</span>
      <span className="activity-main">
        <span className="activity-title">{row.title}</span>
        {row.detail && <span className="activity-detail"> · {row.detail}</span>}
        {row.reason && <span className="activity-reason"> — “{row.reason}”</span>}
      </span>
    </li>
  );
});

/** Human actions and risk events with their reasons, newest first. */
export function ActivityLog() {
  const rows = useCockpitState((s) => s.activity);
  if (rows.length === 0) return <p className="empty">No interventions or risk events yet.</p>;
  return (
    <ol className="activity" aria-label="Activity log">
      {rows.map((r) => (
        <Row key={r.key} row={r} />
      ))}
    </ol>
  );
}
