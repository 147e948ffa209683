import { useDeferredValue, useState } from 'react';
import { useCockpitState } from '../context';
import { formatSimTime } from '../format/format';
import type { AuditRow } from '../store/types';

/** Whether an audit row matches every word of a search, in any of its fields (case aside). */
export function auditMatches(row: AuditRow, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return true;
  const text = [row.by, row.command, row.detail, row.reason ?? '', row.ok ? 'done' : `refused ${row.code ?? ''}`, row.at, formatSimTime(row.ts)].join(' ').toLowerCase();
  return words.every((w) => text.includes(w));
}

/** Every human action of the session, newest first: who, what, why, when and the result, searchable. */
export function AuditTrail() {
  const audit = useCockpitState((s) => s.audit);
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const rows = audit.filter((r) => auditMatches(r, deferred));
  return (
    <div className="audit" data-testid="audit">
      <div className="blotter-head">
        <label>
          <span className="label">Search</span>{' '}
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="who, what, why, result…" size={32} data-testid="audit-search" />
        </label>
        <span className="dim num">
          {rows.length.toLocaleString('en-US')} of {audit.length.toLocaleString('en-US')} actions
        </span>
      </div>
      <div className="table-scroll">
        <table className="sessions-table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">Sim time</th>
              <th scope="col">Wall time</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Why</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.seq} data-testid="audit-row">
                <td className="num">{formatSimTime(r.ts)}</td>
                <td className="num dim">{r.at.replace('T', ' ').slice(0, 19)}</td>
                <td>{r.by}</td>
                <td title={r.detail}>
                  <strong>{r.command}</strong> <span className="dim">{r.detail}</span>
                </td>
                <td>{r.reason ?? '—'}</td>
                <td className={r.ok ? 'end-clean' : 'bad'}>{r.ok ? '✓ done' : `✕ ${r.code ?? 'refused'}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
