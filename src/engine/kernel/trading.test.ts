import { calmSession, sendCommand } from '../node/testing/calm-session';
import { describe, expect, it } from 'vitest';
import { NS_PER_SECOND } from '../core/clock';
import { DEFAULT_LIMITS, SessionKernel } from './session-kernel';
import type { ManualOrderResult } from './trading.contract';

const S = NS_PER_SECOND;

const session = calmSession;
const send = sendCommand;

function place(kernel: SessionKernel, order: Record<string, unknown>): ManualOrderResult {
  const r = send(kernel, 'PlaceOrder', { postOnly: false, reason: 'test', ...order });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as ManualOrderResult;
}

function touch(kernel: SessionKernel): { bid: number; ask: number } {
  const d = kernel.depth(1);
  return { bid: d.bids[0]![0], ask: d.asks[0]![0] };
}

describe("the trader's own orders", () => {
  it('restsADayLimitOrderAsTheTradersThroughTheGateAndCancelsIt', () => {
    const { kernel, events } = session();
    const { bid } = touch(kernel);
    const r = place(kernel, { side: 'buy', quantity: 100, type: 'limit', price: bid - 5, tif: 'day' });
    expect(r).toEqual({ orderId: 'trader/1', status: 'working', filled: 0, refusal: null });
    expect(events.find((e) => e.kind === 'OrderAccepted' && e.orderId === 'trader/1')).toMatchObject({ agentId: 'trader', side: 'buy', price: bid - 5, size: 100, resting: 100 });
    // The desk's limits and use are in the risk view; it is no agent of the grid.
    expect(kernel.snapshot().risk.agents.find((a) => a.agentId === 'trader')?.use.openOrders).toBe(1);
    expect(kernel.snapshot().agents.some((a) => a.id === 'trader')).toBe(false);
    expect(send(kernel, 'CancelOrder', { orderId: 'trader/1', reason: 'changed my mind' })).toEqual({ ok: true, value: { orderId: 'trader/1', lots: 100 } });
    expect(events.find((e) => e.kind === 'OrderCancelled' && e.orderId === 'trader/1')).toMatchObject({ lots: 100, reason: 'cancelled by test window: changed my mind' });
    expect(send(kernel, 'CancelOrder', { orderId: 'trader/1', reason: 'again' })).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringContaining('is not working') } });
    // Every action, the refused one too, is on the audit trail.
    expect(events.filter((e) => e.kind === 'ActionRecorded').map((e) => e.kind === 'ActionRecorded' && [e.command, e.ok, e.by])).toEqual([
      ['PlaceOrder', true, 'test window'],
      ['CancelOrder', true, 'test window'],
      ['CancelOrder', false, 'test window'],
    ]);
  });

  it('takesLiquidityWithAMarketOrderAndKillsAFillOrKillTheBookCannotFill', () => {
    const { kernel, events } = session();
    const filled = place(kernel, { side: 'buy', quantity: 10, type: 'market', tif: 'ioc' });
    expect(filled).toMatchObject({ status: 'filled', filled: 10 });
    expect(kernel.riskSample().agents.trader?.position).toBe(10);
    const { ask } = touch(kernel);
    const atTouch = kernel.depth(1).asks[0]![1];
    const killed = place(kernel, { side: 'buy', quantity: atTouch + 1_000, type: 'limit', price: ask, tif: 'fok' });
    expect(killed).toMatchObject({ status: 'expired', filled: 0 });
    const id = killed.orderId;
    expect(events.filter((e) => 'orderId' in e && e.orderId === id).map((e) => e.kind)).toEqual(['OrderAccepted', 'OrderExpired']);
    const whole = place(kernel, { side: 'buy', quantity: atTouch, type: 'limit', price: ask, tif: 'fok' });
    expect(whole).toMatchObject({ status: 'filled', filled: atTouch });
  });

  it('saysWhyTheGateOrTheVenueRefusedAnOrder', () => {
    const { kernel, events } = session();
    const big = place(kernel, { side: 'sell', quantity: DEFAULT_LIMITS.perAgent.maxOrderLots + 1, type: 'market', tif: 'ioc' });
    expect(big).toMatchObject({ status: 'denied', refusal: { by: 'risk', code: 'ORDER_SIZE_EXCEEDS_MAX', detail: expect.stringContaining(String(DEFAULT_LIMITS.perAgent.maxOrderLots)) } });
    expect(events.find((e) => e.kind === 'OrderDenied' && e.orderId === big.orderId)).toMatchObject({ agentId: 'trader', code: 'ORDER_SIZE_EXCEEDS_MAX' });
    const { ask } = touch(kernel);
    const crossing = place(kernel, { side: 'buy', quantity: 5, type: 'limit', price: ask, tif: 'day', postOnly: true });
    expect(crossing).toMatchObject({ status: 'denied', refusal: { by: 'venue', code: 'POST_ONLY_WOULD_CROSS' } });
  });

  it('refusesTicketsTheSchemaRefusesSayingWhich', () => {
    const { kernel } = session();
    expect(send(kernel, 'PlaceOrder', { side: 'buy', quantity: 5, type: 'limit', tif: 'day', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', issues: [{ path: 'price', message: 'a limit order needs a price' }] } });
    expect(send(kernel, 'PlaceOrder', { side: 'buy', quantity: 5, type: 'market', tif: 'day', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', issues: [{ path: 'tif' }] } });
    expect(send(kernel, 'PlaceOrder', { side: 'buy', quantity: 5, type: 'limit', price: 100, tif: 'ioc', postOnly: true, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', issues: [{ path: 'postOnly' }] } });
    expect(send(kernel, 'PlaceOrder', { side: 'buy', quantity: 2.5, type: 'market', tif: 'ioc', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(send(kernel, 'CancelOrder', { orderId: '../x', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('modifiesItsOwnOrderByCancelAndReplaceAndLeavesAgentsOrdersToThem', () => {
    const { kernel, events } = session();
    const { bid } = touch(kernel);
    const r = place(kernel, { side: 'buy', quantity: 100, type: 'limit', price: bid - 10, tif: 'day' });
    const m = send(kernel, 'ModifyOrder', { orderId: r.orderId, price: bid - 8, quantity: 60, reason: 'closer' });
    expect(m).toMatchObject({ ok: true, value: { replaced: r.orderId, status: 'working', orderId: 'trader/2' } });
    expect(events.find((e) => e.kind === 'OrderCancelled' && e.orderId === r.orderId)).toMatchObject({ reason: 'modified by test window: closer' });
    expect(events.find((e) => e.kind === 'OrderAccepted' && e.orderId === 'trader/2')).toMatchObject({ price: bid - 8, size: 60 });
    const agentOrder = events.find((e) => e.kind === 'OrderAccepted' && e.agentId !== 'trader');
    expect(agentOrder).toBeDefined();
    expect(send(kernel, 'ModifyOrder', { orderId: (agentOrder as { orderId: string }).orderId, price: 100, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'REJECTED', message: expect.stringContaining("only the trader's own orders") } });
    expect(send(kernel, 'KillAgent', { agentId: 'trader', reason: 'x' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('not an agent') } });
  });

  it('isHeldByTheKillSwitchAndTradesAgainOnceItIsReleased', () => {
    const { kernel, events } = session();
    const { bid } = touch(kernel);
    const resting = place(kernel, { side: 'buy', quantity: 50, type: 'limit', price: bid - 10, tif: 'day' });
    expect(send(kernel, 'KillAll', { reason: 'drill' }).ok).toBe(true);
    expect(events.find((e) => e.kind === 'OrderCancelled' && e.orderId === resting.orderId)).toBeDefined();
    expect(place(kernel, { side: 'buy', quantity: 5, type: 'market', tif: 'ioc' })).toMatchObject({ status: 'denied', refusal: { by: 'risk' } });
    expect(send(kernel, 'ReleaseKillSwitch', { reason: 'clear' }).ok).toBe(true);
    expect(place(kernel, { side: 'buy', quantity: 5, type: 'market', tif: 'ioc' })).toMatchObject({ status: 'filled', filled: 5 });
  });
});

describe('agents launched and retired by the trader', () => {
  it('launchesAnAgentOnANewParentOrderThatWorksItThroughTheGateAndRetiresItOnceKilled', () => {
    const { kernel, events } = session();
    const r = send(kernel, 'LaunchAgent', { strategy: 'pov', side: 'buy', quantity: 3_000, horizonMinutes: 10, intervalSeconds: 10, participation: 0.2, reason: 'a new order' });
    expect(r).toEqual({ ok: true, value: { agentId: 'agent-4', name: 'POV 20% buy 3,000' } });
    expect(events.find((e) => e.kind === 'AgentLaunched')).toMatchObject({ agentId: 'agent-4', strategy: 'pov', quantity: 3_000, horizonNs: 600 * S, intervalNs: 10 * S, participation: 0.2, limitPrice: null });
    kernel.elapse(60 * S);
    expect(events.some((e) => e.kind === 'AgentStarted' && e.agentId === 'agent-4')).toBe(true);
    expect(events.some((e) => e.kind === 'DecisionMade' && e.agentId === 'agent-4')).toBe(true);
    expect(events.some((e) => e.kind === 'OrderAccepted' && e.agentId === 'agent-4')).toBe(true);
    expect(kernel.snapshot().agents.find((a) => a.id === 'agent-4')).toMatchObject({ name: 'POV 20% buy 3,000', quantity: 3_000, state: 'running' });
    // Only a finished agent is retired.
    expect(send(kernel, 'RetireAgent', { agentId: 'agent-4', reason: 'x' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('only a done or killed agent') } });
    expect(send(kernel, 'KillAgent', { agentId: 'agent-4', reason: 'enough' }).ok).toBe(true);
    expect(send(kernel, 'RetireAgent', { agentId: 'agent-4', reason: 'done with it' })).toEqual({ ok: true, value: { agentId: 'agent-4' } });
    expect(kernel.snapshot().agents.some((a) => a.id === 'agent-4')).toBe(false);
    expect(events.at(-2)).toMatchObject({ kind: 'AgentRetired', agentId: 'agent-4', reason: 'done with it' });
    expect(send(kernel, 'PauseAgent', { agentId: 'agent-4', reason: 'x' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('no agent "agent-4"') } });
  });

  it('launchesAnAlmgrenChrissAgentCalibratedOnTheSessionsMarketAtItsRiskAversion', () => {
    const { kernel, events } = session();
    kernel.elapse(120 * S); // the market the agent calibrates on: two minutes of volatility and a book
    const launch = (riskAversion: number | undefined): string => {
      const r = send(kernel, 'LaunchAgent', { strategy: 'ac', side: 'sell', quantity: 4_000, horizonMinutes: 20, intervalSeconds: 30, ...(riskAversion === undefined ? {} : { riskAversion }), reason: 'risk-averse schedule' });
      if (!r.ok) throw new Error(JSON.stringify(r));
      return (r.value as { agentId: string }).agentId;
    };
    const eager = launch(0.5);
    const neutral = launch(0);
    const usual = launch(undefined);
    kernel.elapse(31 * S);
    const first = (id: string) => events.find((e): e is Extract<typeof e, { kind: 'DecisionMade' }> => e.kind === 'DecisionMade' && e.agentId === id);
    const kappaT = (id: string): number => {
      const d = first(id);
      expect(d?.reason, id).toMatch(/^AC κT=/);
      return d!.inputs.kappaT!;
    };
    // λ = 0 is TWAP (κ = 0); more risk aversion, a larger κT and more of the order done early.
    expect(kappaT(neutral)).toBe(0);
    expect(kappaT(usual)).toBeGreaterThan(0);
    expect(kappaT(eager)).toBeGreaterThan(kappaT(usual));
    expect(first(eager)!.inputs.targetNext).toBeGreaterThan(first(neutral)!.inputs.targetNext!);
    expect(send(kernel, 'LaunchAgent', { strategy: 'twap', side: 'buy', quantity: 10, horizonMinutes: 5, intervalSeconds: 5, riskAversion: 0.01, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', issues: [{ path: 'riskAversion' }] } });
    expect(send(kernel, 'LaunchAgent', { strategy: 'ac', side: 'buy', quantity: 10, horizonMinutes: 5, intervalSeconds: 5, riskAversion: -1, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', issues: [{ path: 'riskAversion' }] } });
  });

  it('keepsALaunchedAgentsLimitPriceAndRefusesWhatTheSchemaRefuses', () => {
    const { kernel, events } = session();
    const { bid } = touch(kernel);
    expect(send(kernel, 'LaunchAgent', { strategy: 'twap', side: 'buy', quantity: 2_000, horizonMinutes: 5, intervalSeconds: 5, limitPrice: bid - 20, reason: 'cheap only' }).ok).toBe(true);
    kernel.elapse(60 * S);
    const mine = events.filter((e) => e.kind === 'OrderAccepted' && e.agentId === 'agent-4');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.kind === 'OrderAccepted' && e.price !== null && e.price <= bid - 20)).toBe(true);
    expect(send(kernel, 'LaunchAgent', { strategy: 'twap', side: 'buy', quantity: 10, horizonMinutes: 5, intervalSeconds: 5, participation: 0.1, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', issues: [{ path: 'participation' }] } });
    expect(send(kernel, 'LaunchAgent', { strategy: 'twap', side: 'buy', quantity: 10, horizonMinutes: 1, intervalSeconds: 60, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', issues: [{ path: 'intervalSeconds' }] } });
    expect(send(kernel, 'KillAll', { reason: 'drill' }).ok).toBe(true);
    expect(send(kernel, 'LaunchAgent', { strategy: 'twap', side: 'buy', quantity: 10, horizonMinutes: 5, intervalSeconds: 5, reason: 'x' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('kill switch') } });
  });
});
