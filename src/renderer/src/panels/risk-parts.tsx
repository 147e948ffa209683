import type { DetectorView, TradingState } from '../../../engine/contract/index';
import { formatPercent } from '../format/format';
import { levelOf } from './risk-use';

/** Formats a volatility forecast in bps per √s ("—" while the model warms up). */
export function formatSigma(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2);
}

/** Formats a detector's measure or threshold to three significant digits. */
export function formatMeasure(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(3)));
}

/** A trading state as a coloured badge; its reason shows on hover. */
export function TradingStateBadge({ state, reason, testId }: { state: TradingState; reason: string; testId?: string }) {
  return (
    <span className={`ts-badge ts-${state.toLowerCase()}`} title={reason} data-testid={testId}>
      {state}
    </span>
  );
}

/** Buttons that set a trading state; the one in force is pressed. */
export function TradingStateButtons(props: {
  current: TradingState | null;
  states: readonly TradingState[];
  onSet: (state: TradingState) => void;
  disabled?: boolean;
  who: string;
  testIdPrefix: string;
}) {
  return (
    <span className="ts-buttons" role="group" aria-label={`Trading state of ${props.who}`}>
      {props.states.map((s) => (
        <button
          key={s}
          type="button"
          className={`btn tiny ts-set ts-set-${s.toLowerCase()} ${props.current === s ? 'on' : ''}`}
          aria-pressed={props.current === s}
          disabled={props.disabled || props.current === s}
          onClick={() => props.onSet(s)}
          title={`Set ${props.who} ${s}`}
          data-testid={`${props.testIdPrefix}-${s.toLowerCase()}`}
        >
          {s === 'ACTIVE' ? 'Active' : s === 'REDUCING' ? 'Reduce' : 'Halt'}
        </button>
      ))}
    </span>
  );
}

/** The detectors as small lights: lit while firing, with the measure against the threshold on hover. */
export function DetectorPills({ detectors }: { detectors: readonly DetectorView[] }) {
  return (
    <span className="detector-pills">
      {detectors.map((d) => (
        <span key={d.name} className={`detector-pill ${d.firing ? 'firing' : ''}`} title={`${d.name}: ${d.firing ? 'FIRING' : 'quiet'} · ${formatMeasure(d.value)} ${d.unit} (fires at ${formatMeasure(d.threshold)} ${d.unit}) · ${d.reason}`}>
          <span className="pill-led" aria-hidden="true" />
          {d.name}
          <span className="visually-hidden">{d.firing ? ' firing' : ' quiet'}</span>
        </span>
      ))}
    </span>
  );
}

/** A use of a limit as a bar and its figures; the bar turns amber near the limit and red at it. */
export function UseBar({ share, text, title, testId }: { share: number | null; text: string; title: string; testId?: string }) {
  const level = levelOf(share);
  const pct = share === null ? 0 : Math.min(1, share) * 100;
  return (
    <div className={`use use-${level}`} title={title} data-testid={testId}>
      <div className="use-track" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-valuetext={`${text}, ${formatPercent(share)} of the limit`} aria-label={title}>
        <div className="use-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="use-text">{text}</span>
      <span className="use-pct">{formatPercent(share)}</span>
    </div>
  );
}

/** The position against its limits: short to the left of the centre, long to the right. */
export function PositionBar(props: { position: number; longShare: number | null; shortShare: number | null; text: string; title: string; testId?: string }) {
  const worst = Math.max(props.longShare ?? 0, props.shortShare ?? 0);
  const level = props.longShare === null && props.shortShare === null ? 'unknown' : levelOf(worst);
  const half = (s: number | null): string => `${(s === null ? 0 : Math.min(1, s)) * 50}%`;
  return (
    <div className={`use use-${level}`} title={props.title} data-testid={props.testId}>
      <div className="use-track two-sided" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Math.min(1, worst) * 100)} aria-valuetext={`${props.text}, ${formatPercent(worst)} of the nearer limit`} aria-label={props.title}>
        <div className="use-fill short" style={{ width: half(props.shortShare) }} />
        <div className="use-fill long" style={{ width: half(props.longShare) }} />
      </div>
      <span className="use-text">{props.text}</span>
      <span className="use-pct">{formatPercent(worst)}</span>
    </div>
  );
}
