import { describe, expect, it } from 'vitest';
import { agent, batch, decision, ev, host, limits, riskView, snapshot, trade } from '../testing/fixtures';
import { withAgentLimits } from '../../../engine/contract/index';
import { ACTIVITY_MAX, TAPE_MAX, applyBatches, applySnapshot, initialState, scheduleElapsedAt } from './reduce';
import type { BacktestRequest, CockpitState } from './types';

const T0 = 34_200_000_000_000;
const S = 1_000_000_000;

function live(lastSeq = 10, overrides = {}): CockpitState {
  return applySnapshot(initialState({ transport: 'browser', status: 'connected', detail: null }), snapshot(lastSeq, overrides), host, 'connect');
}

describe('applySnapshot', () => {
  it('takesTheAuditTrailFromTheSnapshotAndKeepsWhatCameAfterItUnlessTheStreamChanged', () => {
    const action = (seq: number, command: string) => ({ kind: 'ActionRecorded' as const, seq, ts: 0, by: 'w', at: '2026-12-07T15:00:00.000Z', command, reason: 'r', ok: true, code: null, detail: '' });
    const base = live(10);
    const withLater = applyBatches(base, [batch([ev(11, 0, { kind: 'ActionRecorded', by: 'w', at: '2026-12-07T15:00:01.000Z', command: 'PauseAgent', reason: 'r', ok: true, code: null, detail: '' })])]).state;
    const snap = snapshot(10, { actions: [action(3, 'StartSession'), action(7, 'SetSpeed')] });
    expect(applySnapshot(withLater, snap, host, 'connect').audit.map((r) => r.command)).toEqual(['PauseAgent', 'SetSpeed', 'StartSession']);
    expect(applySnapshot(withLater, snap, host, 'reset').audit.map((r) => r.command)).toEqual(['SetSpeed', 'StartSession']);
  });

  it('rebuildsSessionQuoteAgentsAndKillSwitch', () => {
    const s = applySnapshot(
      initialState({ transport: 'electron', status: 'connected', detail: null }),
      snapshot(42, { risk: { ...riskView(), killSwitch: true, reason: 'drill' }, session: { ...snapshot(0).session, state: 'halted' } }),
      host,
      'connect',
    );
    expect(s.sync).toBe('live');
    expect(s.lastSeq).toBe(42);
    expect(s.session?.state).toBe('halted');
    expect(s.quote).toMatchObject({ bid: 9_999, ask: 10_001 });
    expect([...s.agents.keys()]).toEqual(['a1']);
    expect(s.killSwitch).toEqual({ engaged: true, reason: 'drill' });
    expect(s.host).toBe(host);
  });

  it('fillsTheTapeNewestFirstAndBuildsBarsFromRecentTrades', () => {
    const trades = [
      { ts: T0 - 2 * S, price: 10_000, size: 5 },
      { ts: T0 - 2 * S + 1, price: 10_004, size: 5 },
      { ts: T0 - S, price: 10_002, size: 1 },
    ];
    const s = live(5, { trades });
    expect(s.tape.map((t) => t.price)).toEqual([10_002, 10_004, 10_000]);
    expect(s.lastTrade?.price).toBe(10_002);
    expect(s.chart.bars.map((b) => [b.second, b.open, b.close, b.fromTrades])).toEqual([
      [T0 / S - 2, 10_000, 10_004, true],
      [T0 / S - 1, 10_002, 10_002, true],
      [T0 / S, 10_000, 10_000, false],
    ]);
  });

  it('startsANewChartEpochSoTheChartRedraws', () => {
    const a = live();
    const b = applySnapshot(a, snapshot(20), host, 'gap');
    expect(b.chart.epoch).toBe(a.chart.epoch + 1);
  });

  it('keepsTheLogsAndNotesAResyncAfterAGap', () => {
    const a = applyBatches(live(10), [batch([ev(11, T0, decision('a1', 'post', 5, 'thin book'))])]).state;
    const b = applySnapshot(a, snapshot(30), host, 'gap');
    expect(b.decisions).toHaveLength(1);
    expect(b.activity[0]).toMatchObject({ source: 'cockpit', title: 'Resynchronised' });
  });
});

describe('applyBatches', () => {
  it('appliesEveryEventOfTheBatchesInOnePass', () => {
    const before = live(10);
    const { state, rest } = applyBatches(before, [
      batch([ev(11, T0 + 1, { kind: 'QuoteChanged', bid: 10_000, ask: 10_002, bidSize: 5, askSize: 6 }), trade(12, T0 + 2, 10_002, 3, 'buy')]),
      batch([trade(13, T0 + S, 10_001, 4, 'sell')], 0, T0 + S + 5),
    ]);
    expect(rest).toEqual([]);
    expect(state.lastSeq).toBe(13);
    expect(state.simTimeNs).toBe(T0 + S + 5);
    expect(state.quote).toMatchObject({ bid: 10_000, ask: 10_002, bidSize: 5, askSize: 6 });
    expect(state.tape.slice(0, 2).map((t) => [t.price, t.aggressor])).toEqual([
      [10_001, 'sell'],
      [10_002, 'buy'],
    ]);
    expect(state.lastTrade?.price).toBe(10_001);
    expect(state.chart.bars.map((b) => [b.second, b.close, b.fromTrades])).toEqual([
      [T0 / S, 10_002, true],
      [T0 / S + 1, 10_001, true],
    ]);
    expect(before.lastSeq).toBe(10);
  });

  it('takesNewRiskLimitsAndLogsTheChangeWithItsReason', () => {
    const next = withAgentLimits({ maxOrderLots: 10, priceCollarBps: 50, maxOpenOrders: 3 });
    const { state } = applyBatches(live(10), [batch([ev(11, T0 + 1, { kind: 'RiskLimitsChanged', limits: next, reason: 'tighten before the close', by: 'window', at: '2026-12-07T04:00:00.000Z', agentId: null, ownLimits: false })])]);
    expect(state.risk?.limits).toEqual(next);
    expect(state.activity[0]).toMatchObject({ title: 'Risk limits changed', reason: 'tighten before the close' });
    expect(state.activity[0]?.detail).toBe('max order 5,000 → 10 lots; price collar ±500 → ±50 bps; working orders 20 → 3 · by window');
  });

  it('leavesUntouchedSlicesIdenticalSoSubscribersSkipThem', () => {
    const before = live(10);
    const { state } = applyBatches(before, [batch([ev(11, T0, { kind: 'QuoteChanged', bid: 9_998, ask: 10_001, bidSize: 1, askSize: 1 })])]);
    expect(state.tape).toBe(before.tape);
    expect(state.agents).toBe(before.agents);
    expect(state.decisions).toBe(before.decisions);
    expect(state.activity).toBe(before.activity);
  });

  it('boundsTheTape', () => {
    const events = Array.from({ length: TAPE_MAX + 50 }, (_, i) => trade(11 + i, T0 + i, 10_000 + i));
    const { state } = applyBatches(live(10), [batch(events)]);
    expect(state.tape).toHaveLength(TAPE_MAX);
    expect(state.tape[0]?.price).toBe(10_000 + TAPE_MAX + 49);
  });

  it('skipsEventsTheStateAlreadyHolds', () => {
    const { state } = applyBatches(live(12), [batch([trade(11, T0, 1), trade(12, T0, 2), trade(13, T0, 3)])]);
    expect(state.tape.map((t) => t.price)).toEqual([3]);
    expect(state.lastSeq).toBe(13);
  });

  it('stopsAtAGapAndReturnsTheBatchesFromIt', () => {
    const b1 = batch([trade(11, T0, 1)]);
    const b2 = batch([trade(14, T0, 4)]);
    const b3 = batch([trade(15, T0, 5)]);
    const { state, rest } = applyBatches(live(10), [b1, b2, b3]);
    expect(state.lastSeq).toBe(11);
    expect(rest).toEqual([b2, b3]);
  });

  it('acceptsAnEmptyBatchThatOnlyMovesTheClock', () => {
    const { state, rest } = applyBatches(live(10), [batch([], 10, T0 + 7 * S)]);
    expect(rest).toEqual([]);
    expect(state.lastSeq).toBe(10);
    expect(state.simTimeNs).toBe(T0 + 7 * S);
  });

  it('holdsEverythingBeforeTheFirstSnapshot', () => {
    const empty = initialState({ transport: 'browser', status: 'connecting', detail: null });
    const b = batch([trade(1, T0, 1)]);
    const out = applyBatches(empty, [b]);
    expect(out.state).toBe(empty);
    expect(out.rest).toEqual([b]);
  });

  it('showsTheAgentsFillsAverageAndShortfallAsTheEngineComputedThem', () => {
    const { state } = applyBatches(live(10), [
      batch([
        ev(11, T0, { kind: 'OrderFilled', agentId: 'a1', orderId: 'o1', side: 'buy', price: 10_002, size: 100, liquidity: 'taker', remaining: 0, agent: { filled: 100, avgPrice: 10_002, shortfallBps: 2 }, exposure: { position: 100, openOrders: 0, workingLots: 0 } }),
        ev(12, T0, { kind: 'OrderFilled', agentId: 'a1', orderId: 'o2', side: 'buy', price: 10_004, size: 300, liquidity: 'maker', remaining: 0, agent: { filled: 400, avgPrice: 10_003.5, shortfallBps: 3.5 }, exposure: { position: 400, openOrders: 0, workingLots: 0 } }),
      ]),
    ]);
    expect(state.agents.get('a1')).toMatchObject({ filled: 400, avgPrice: 10_003.5, shortfallBps: 3.5 });
  });

  it('recordsDecisionsNewestFirstWithTheAgentsName', () => {
    const { state } = applyBatches(live(10), [
      batch([
        ev(11, T0, decision('a1', 'post', 10, 'spread wide')),
        ev(12, T0 + 1, decision('a1', 'cross', 20, 'behind schedule', { price: 10_002, inputs: { spreadTicks: 14 } })),
      ]),
    ]);
    expect(state.decisions.map((d) => [d.seq, d.agentName, d.action])).toEqual([
      [12, 'TWAP-1', 'cross'],
      [11, 'TWAP-1', 'post'],
    ]);
    expect(state.agents.get('a1')?.lastReason).toBe('behind schedule');
  });

  it('showsTheSessionStateTheEngineReportsThroughPauseKillAndRelease', () => {
    const steps: [string, Parameters<typeof ev>[2]][] = [
      ['paused', { kind: 'SessionPaused', reason: 'lunch', state: 'paused' }],
      ['halted', { kind: 'KillSwitchEngaged', reason: 'drill', agentsHalted: 1, ordersCancelled: 3, state: 'halted' }],
      ['halted', { kind: 'SessionResumed', reason: 'back', state: 'halted' }],
      ['running', { kind: 'KillSwitchReleased', reason: 'all clear', state: 'running' }],
      ['paused', { kind: 'SessionPaused', reason: 'again', state: 'paused' }],
      ['halted', { kind: 'KillSwitchEngaged', reason: 'drill 2', agentsHalted: 0, ordersCancelled: 0, state: 'halted' }],
      ['paused', { kind: 'KillSwitchReleased', reason: 'ok', state: 'paused' }],
    ];
    let state = live(10);
    steps.forEach(([expected, body], i) => {
      state = applyBatches(state, [batch([ev(11 + i, T0, body)])]).state;
      expect(state.session?.state, `after ${body.kind}`).toBe(expected);
    });
    expect(state.killSwitch.engaged).toBe(false);
  });

  it('logsRiskEventsAndHumanActionsWithTheirReasons', () => {
    const { state } = applyBatches(live(10), [
      batch([
        ev(11, T0, { kind: 'KillSwitchEngaged', reason: 'manual kill from cockpit', agentsHalted: 2, ordersCancelled: 5, state: 'halted' }),
        ev(12, T0, { kind: 'AgentStateChanged', agentId: 'a1', state: 'killed', reason: 'kill switch' }),
        ev(13, T0, { kind: 'OrderDenied', agentId: 'a1', orderId: 'o9', side: 'buy', price: 10_050, size: 10, code: 'KILL_SWITCH_ENGAGED', detail: 'the kill switch is engaged', denial: null }),
        ev(14, T0, { kind: 'SpeedChanged', speed: 10, reason: 'faster' }),
      ]),
    ]);
    expect(state.activity.map((a) => [a.title, a.reason])).toEqual([
      ['Speed set to ×10', 'faster'],
      ['Order denied: KILL_SWITCH_ENGAGED', null],
      ['TWAP-1 killed', 'kill switch'],
      ['KILL SWITCH ENGAGED', 'manual kill from cockpit'],
    ]);
    expect(state.agents.get('a1')?.state).toBe('killed');
    expect(state.activity[1]?.detail).toContain('100.50');
  });

  it('boundsTheActivityLog', () => {
    const events = Array.from({ length: ACTIVITY_MAX + 10 }, (_, i) => ev(11 + i, T0, { kind: 'SpeedChanged', speed: 1, reason: String(i) }));
    expect(applyBatches(live(10), [batch(events)]).state.activity).toHaveLength(ACTIVITY_MAX);
  });

  it('ignoresEventsForAgentsItDoesNotKnow', () => {
    const before = live(10);
    const { state } = applyBatches(before, [batch([ev(11, T0, { kind: 'OrderFilled', agentId: 'nobody', orderId: 'o', side: 'buy', price: 1, size: 1, liquidity: 'taker', remaining: 0, agent: { filled: 1, avgPrice: 1, shortfallBps: null }, exposure: { position: 1, openOrders: 0, workingLots: 0 } })])]);
    expect(state.agents).toBe(before.agents);
    expect(state.lastSeq).toBe(11);
  });
});

describe('snapshot healing', () => {
  it('rebuildsFromASnapshotThenAppliesOnlyTheHeldEventsAfterIt', () => {
    let state = applyBatches(live(10), [batch([trade(11, T0, 1)])]).state;
    const gapped = [batch([trade(20, T0, 20), trade(21, T0, 21)]), batch([trade(22, T0, 22)])];
    const first = applyBatches(state, gapped);
    expect(first.rest).toEqual(gapped);
    state = applySnapshot(first.state, snapshot(20, { trades: [{ ts: T0, price: 20, size: 1 }] }), host, 'gap');
    const healed = applyBatches(state, first.rest);
    expect(healed.rest).toEqual([]);
    expect(healed.state.lastSeq).toBe(22);
    expect(healed.state.tape.map((t) => t.price)).toEqual([22, 21, 20]);
  });

  it('reportsAGapAgainWhenTheSnapshotIsOlderThanTheHeldEvents', () => {
    const held = [batch([trade(30, T0, 30)])];
    const state = applySnapshot(live(10), snapshot(20), host, 'gap');
    expect(applyBatches(state, held).rest).toEqual(held);
  });
});

describe('schedule progress', () => {
  it('derivesTheElapsedScheduleFromTheBatchClock', () => {
    const { state } = applyBatches(live(10), [batch([], 10, T0 + 180 * S)]);
    expect(state.agents.get('a1')?.scheduleElapsed).toBeCloseTo(0.2, 9);
  });

  it('keepsTheSameAgentWhileTheShownPercentageHolds', () => {
    const before = live(10);
    const { state } = applyBatches(before, [batch([], 10, T0 + S)]);
    expect(state.simTimeNs).toBe(T0 + S);
    expect(state.agents).toBe(before.agents);
  });

  it('capsAtTheEndOfTheHorizonAndLeavesFinishedAgentsAlone', () => {
    const base = live(10, { agents: [agent(), agent({ id: 'a2', state: 'done', scheduleElapsed: 0.5 })] });
    const { state } = applyBatches(base, [batch([], 10, T0 + 3_600 * S)]);
    expect(state.agents.get('a1')?.scheduleElapsed).toBe(1);
    expect(state.agents.get('a2')).toBe(base.agents.get('a2'));
  });

  it('measuresTheShareOfTheHorizon', () => {
    expect(scheduleElapsedAt({ startNs: 100, endNs: 200 }, 150)).toBe(0.5);
    expect(scheduleElapsedAt({ startNs: 100, endNs: 200 }, 50)).toBe(0);
    expect(scheduleElapsedAt({ startNs: 100, endNs: 100 }, 100)).toBe(1);
  });
});

describe('depth, limits and decisions', () => {
  it('takesDepthAndLimitsFromTheSnapshotAndDepthFromTheLatestBatch', () => {
    const s = live(10);
    expect(s.risk?.limits).toEqual(limits);
    expect(s.depth?.bids[0]).toEqual([9_999, 300]);
    const depth = { bids: [[9_990, 5]] as [number, number][], asks: [[10_010, 7]] as [number, number][] };
    const { state } = applyBatches(s, [{ ...batch([trade(11, T0, 10_000)]), depth: { bids: [], asks: [] } }, { ...batch([trade(12, T0, 10_001)]), depth }]);
    expect(state.depth).toBe(depth);
  });

  it('keepsTheDepthWhenABatchCarriesNone', () => {
    const s = live(10);
    expect(applyBatches(s, [batch([trade(11, T0, 1)])]).state.depth).toBe(s.depth);
  });

  it('keepsEachDecisionsInputsAndExplanation', () => {
    const explanation = { valueKind: 'q' as const, values: [0.1, 0.4], actions: ['wait', 'cross'], chosen: 1, attributions: { spreadTicks: -0.2, behind: 0.5 }, baseline: 'an average state' };
    const { state } = applyBatches(live(10), [batch([ev(11, T0, decision('a1', 'cross', 20, 'behind', { price: 10_002, inputs: { behind: 0.3 }, explanation }))])]);
    expect(state.decisions[0]).toMatchObject({ price: 10_002, inputs: { behind: 0.3 }, explanation });
  });

  it('showsTheCodeAndDetailOfADeniedOrder', () => {
    const { state } = applyBatches(live(10), [
      batch([ev(11, T0, { kind: 'OrderDenied', agentId: 'a1', orderId: 'o1', side: 'sell', price: null, size: 9_000, code: 'ORDER_TOO_LARGE', detail: '9000 lots > max 5000', denial: null })]),
    ]);
    expect(state.activity[0]?.title).toBe('Order denied: ORDER_TOO_LARGE');
    expect(state.activity[0]?.detail).toContain('9000 lots > max 5000');
    expect(state.activity[0]?.detail).toContain('market');
  });
});

describe('workflows in the window', () => {
  const request: BacktestRequest = { scenario: 'calm', seedFrom: 1, seedTo: 10, strategies: ['twap'], side: 'buy', quantity: 100, horizonSeconds: 600 };
  const update = (seq: number, state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled', done: number, total: number, jobId = 'bt-1', detail = '') =>
    ev(seq, T0, { kind: 'WorkflowUpdated', jobId, workflow: 'backtest', state, done, total, detail });

  it('followsTheRunningBacktestsProgressFromTheEnginesEvents', () => {
    const before: CockpitState = { ...live(10), evaluation: { running: { request, jobId: 'bt-1', state: 'queued', done: 0, total: 0 }, runs: [] } };
    const { state } = applyBatches(before, [batch([update(11, 'running', 0, 0), update(12, 'running', 3, 10), update(13, 'running', 1, 1, 'another-window')])]);
    expect(state.evaluation.running).toMatchObject({ jobId: 'bt-1', state: 'running', done: 3, total: 10 });
    expect(state.activity).toHaveLength(before.activity.length);
  });

  it('logsHowAWorkflowEnded', () => {
    const { state } = applyBatches(live(10), [batch([update(11, 'cancelled', 4, 10, 'bt-1', 'cancelled from the evaluation view'), update(12, 'failed', 0, 0, 'bt-2', 'no scenario named "x"'), update(13, 'done', 10, 10, 'bt-3')])]);
    expect(state.activity.slice(0, 3).map((a) => [a.tone, a.title])).toEqual([
      ['info', 'Backtest bt-3 finished'],
      ['danger', 'Backtest bt-2 failed'],
      ['warn', 'Backtest bt-1 cancelled'],
    ]);
    expect(state.activity[2]?.detail).toBe('after 4 of 10 episodes');
  });
});
