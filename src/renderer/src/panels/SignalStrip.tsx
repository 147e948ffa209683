import { isVolatileStress } from '../../../engine/contract/events';
import { useCockpitState } from '../context';
import { formatSimTime } from '../format/format';
import { describeDirection, describeRegime, percent } from '../format/signal';

/**
 * The market signal above the chart: the direction model's probabilities of down, flat and up over
 * its horizon as three bars with their numbers, the direction, and the regime of the last complete
 * minute. Text and shape say it as well as colour.
 */
export function SignalStrip() {
  const signal = useCockpitState((s) => s.signal.now);
  if (signal === null) {
    return (
      <div className="signal-strip muted" data-testid="signal-strip">
        Signal: waiting for the first book events
      </div>
    );
  }
  const bars: ReadonlyArray<readonly [string, string, number]> = [
    ['down', '↓', signal.down],
    ['flat', '→', signal.flat],
    ['up', '↑', signal.up],
  ];
  return (
    <div className="signal-strip" data-testid="signal-strip" aria-label={`Market signal ${signal.model}`}>
      <span className="label" title={`${signal.model}: where the mean mid over the next ${signal.horizonEvents} book events ends`}>
        Signal
      </span>
      {bars.map(([name, arrow, p]) => (
        <span key={name} className={`signal-p signal-${name}`} data-testid={`signal-${name}`}>
          <span aria-hidden="true">{arrow}</span> {name} <span className="num">{percent(p)}</span>
          <span className="signal-bar" aria-hidden="true" style={{ width: `${Math.round(p * 40)}px` }} />
        </span>
      ))}
      <span className="num" data-testid="signal-direction">
        {describeDirection(signal.direction)}
      </span>
      {!signal.warm && <span className="muted">warming up</span>}
      <span className={`signal-regime ${isVolatileStress(signal.regimeStress) ? 'warn' : ''}`} data-testid="signal-regime">
        regime {describeRegime(signal)}
        {signal.regime !== null && <span className="muted"> since {formatSimTime(signal.regime.sinceNs)}</span>}
      </span>
    </div>
  );
}
