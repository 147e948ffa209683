import { useState, type FormEvent } from 'react';
import type { RecordedDay, SessionMarkets, StartSessionMarket } from '../../../engine/contract/index';
import { useCockpit, useCockpitState } from '../context';
import { formatTimeOfDay, TIME_OF_DAY } from '../../../engine/core/clock';

/** The form as typed. */
export interface StartForm {
  readonly kind: 'sim' | 'lobster';
  readonly scenario: string;
  readonly seed: string;
  /** A recorded day's message file name. */
  readonly day: string;
  /** HH:MM[:SS]; empty for the day's first message. */
  readonly start: string;
  readonly speed: string;
}

/** The form's first values: the session's own market. */
export function startFormFor(markets: SessionMarkets, speed: number): StartForm {
  const c = markets.current;
  return {
    kind: c.kind,
    scenario: c.kind === 'sim' ? c.scenario : (markets.scenarios[0] ?? 'calm'),
    seed: c.kind === 'sim' ? String(c.seed) : '42',
    day: c.kind === 'lobster' ? c.day : (markets.days[0]?.file ?? ''),
    start: c.kind === 'lobster' ? (c.start ?? '') : '',
    speed: String(speed),
  };
}

/** Returns the StartSession market and speed of the form, or what is wrong with it. */
export function startRequest(f: StartForm, days: readonly RecordedDay[]): { readonly market: StartSessionMarket; readonly speed: number } | { readonly error: string } {
  const speed = Number(f.speed.trim());
  if (!Number.isFinite(speed) || speed < 0.1 || speed > 1000) return { error: 'Speed: 0.1 to 1000 simulated seconds per second.' };
  if (f.kind === 'sim') {
    if (!/^\d+$/.test(f.seed.trim()) || Number(f.seed.trim()) > 0xffffffff) return { error: 'Seed: a whole number from 0 to 4294967295.' };
    return { market: { kind: 'sim', scenario: f.scenario, seed: Number(f.seed.trim()) }, speed };
  }
  const day = days.find((d) => d.file === f.day);
  if (day === undefined) return { error: 'Day: choose a recorded day of the data folder.' };
  const start = f.start.trim();
  if (start === '') return { market: { kind: 'lobster', day: day.file }, speed };
  const padded = /^\d:/.test(start) ? `0${start}` : start;
  if (!TIME_OF_DAY.test(padded)) return { error: 'Start: a time of day HH:MM or HH:MM:SS, or empty for the first message.' };
  const [h, m, sec] = padded.split(':').map(Number) as [number, number, number | undefined];
  const ns = ((h * 60 + m) * 60 + (sec ?? 0)) * 1e9;
  if (ns < day.fromNs || ns >= day.toNs) return { error: `Start: the ${day.ticker} day runs from ${formatTimeOfDay(day.fromNs)} to ${formatTimeOfDay(day.toNs)}.` };
  return { market: { kind: 'lobster', day: day.file, start: padded }, speed };
}

/**
 * Starts a new live session in the current one's place: a simulator scenario and seed, or a
 * recorded LOBSTER day of the data folder from a time of day, at a speed.
 */
export function StartSessionForm() {
  const { actions } = useCockpit();
  const markets = useCockpitState((s) => s.host?.markets ?? null);
  const speed = useCockpitState((s) => s.session?.speed ?? 5);
  const [f, setF] = useState<StartForm | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (markets === null) return null;
  const form = f ?? startFormFor(markets, speed);
  const set = (patch: Partial<StartForm>): void => setF({ ...form, ...patch });

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const r = startRequest(form, markets.days);
    if ('error' in r) return setError(r.error);
    setError(null);
    setBusy(true);
    const done = await actions.startSession(r.market, r.speed);
    setBusy(false);
    if (done.status === 'done') setF(null);
  };

  return (
    <form className="ticket" onSubmit={(e) => void submit(e)} noValidate aria-label="Start a new live session" data-testid="start-form">
      <strong>New live session</strong>
      <label>
        <span className="label">Market</span>{' '}
        <select value={form.kind} onChange={(e) => set({ kind: e.target.value as StartForm['kind'] })} data-testid="start-kind">
          <option value="sim">simulator</option>
          <option value="lobster" disabled={markets.days.length === 0}>
            recorded day
          </option>
        </select>
      </label>
      {form.kind === 'sim' ? (
        <>
          <label>
            <span className="label">Scenario</span>{' '}
            <select value={form.scenario} onChange={(e) => set({ scenario: e.target.value })} data-testid="start-scenario">
              {markets.scenarios.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="label">Seed</span> <input className="num" size={6} value={form.seed} onChange={(e) => set({ seed: e.target.value })} data-testid="start-seed" />
          </label>
        </>
      ) : (
        <>
          <label>
            <span className="label">Day</span>{' '}
            <select value={form.day} onChange={(e) => set({ day: e.target.value })} data-testid="start-day">
              {markets.days.map((d) => (
                <option key={d.file} value={d.file}>
                  {d.ticker} {d.date} · {d.levels} level{d.levels === 1 ? '' : 's'} · {formatTimeOfDay(d.fromNs)}–{formatTimeOfDay(d.toNs)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="label">From</span> <input className="num" size={8} value={form.start} placeholder="first message" onChange={(e) => set({ start: e.target.value })} data-testid="start-time" />
          </label>
        </>
      )}
      <label>
        <span className="label">Speed ×</span> <input className="num" size={4} value={form.speed} onChange={(e) => set({ speed: e.target.value })} data-testid="start-speed" />
      </label>
      <button type="submit" className="btn tiny danger" disabled={busy} data-testid="start-send">
        {busy ? 'Starting…' : 'Start session…'}
      </button>
      {form.kind === 'lobster' && <span className="dim">NASDAQ order book replayed; data courtesy of LOBSTER (lobsterdata.com).</span>}
      {error !== null && (
        <span className="bad" role="alert" data-testid="start-error">
          {error}
        </span>
      )}
    </form>
  );
}
