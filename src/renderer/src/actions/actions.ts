import type { AgentLimits, StartSessionMarket, CockpitApi, CommandError, CommandName, CommandRequest, ManualOrderResult, RiskLimits, TradingState } from '../../../engine/contract/index';
import { formatPrice, formatSize } from '../format/format';
import { describeDeltas } from '../format/limits';
import { diffAgentLimits, diffLimits } from '../store/risk';
import type { CockpitStore } from '../store/cockpit-store';
import { addBacktestRun, addCockpitActivity } from '../store/reduce';
import type { BacktestRequest } from '../store/types';
import { askReason, pushToast, type UiStore } from '../store/ui-store';
import { describeError } from './describe-error';
import { createReplayActions, type ReplayActions } from './replay-actions';

/** How a human action ended: carried out, called off at the reason prompt, or refused by the engine (its typed error). */
export type ActionOutcome = { readonly status: 'done' } | { readonly status: 'cancelled' } | { readonly status: 'refused'; readonly error: CommandError };

/** The human actions of the cockpit; each asks for a reason and reports a refusal in a toast. */
export interface CockpitActions {
  killAll(): Promise<ActionOutcome>;
  releaseKillSwitch(): Promise<ActionOutcome>;
  pauseSession(): Promise<ActionOutcome>;
  resumeSession(): Promise<ActionOutcome>;
  /** Pauses a running session or resumes a paused one. */
  toggleSession(): Promise<ActionOutcome>;
  setSpeed(speed: number): Promise<ActionOutcome>;
  pauseAgent(agentId: string): Promise<ActionOutcome>;
  resumeAgent(agentId: string): Promise<ActionOutcome>;
  killAgent(agentId: string): Promise<ActionOutcome>;
  /** Replaces the hard pre-trade limits, each agent's and the session's. */
  setRiskLimits(limits: RiskLimits): Promise<ActionOutcome>;
  /** Gives one agent limits of its own; null drops them (it is held to the session's per-agent limits again). */
  setAgentLimits(agentId: string, limits: AgentLimits | null): Promise<ActionOutcome>;
  /** Sets the session's trading state (agentId null) or one agent's. */
  setTradingState(agentId: string | null, state: TradingState): Promise<ActionOutcome>;
  /** Stops an agent (every agent for null) and works its position back to flat. */
  flatten(agentId: string | null): Promise<ActionOutcome>;
  /** Runs a backtest off the engine loop and keeps its result; one at a time. */
  runBacktest(request: BacktestRequest): Promise<void>;
  /** Cancels the backtest on the way, if any; its run ends CANCELLED. */
  cancelBacktest(): Promise<void>;
  /** Sends the trader's own order through the risk gate (asking why); the gate's answer comes back in a toast. */
  placeOrder(order: Omit<CommandRequest<'PlaceOrder'>, 'reason'>): Promise<ActionOutcome>;
  /** Cancels a working order, the trader's or an agent's. */
  cancelOrder(orderId: string): Promise<ActionOutcome>;
  /** Changes the trader's working order's price and/or quantity (cancel and replace through the gate). */
  modifyOrder(orderId: string, price: number | undefined, quantity: number | undefined): Promise<ActionOutcome>;
  /** Starts a new agent on a new parent order (asking why). */
  launchAgent(request: Omit<CommandRequest<'LaunchAgent'>, 'reason'>): Promise<ActionOutcome>;
  /** Takes a finished agent off the views. */
  retireAgent(agentId: string): Promise<ActionOutcome>;
  /** Changes a running or paused agent's parameters from its next decision (asking why). */
  overrideAgent(agentId: string, request: Omit<CommandRequest<'OverrideAgent'>, 'reason' | 'agentId'>): Promise<ActionOutcome>;
  /** Ends the live session and starts a new one on a scenario and seed or a recorded day, at a speed (asking why); every window follows it. */
  startSession(market: StartSessionMarket, speed: number): Promise<ActionOutcome>;
  /** Recorded sessions: list, open one in this window, move through it. */
  readonly replay: ReplayActions;
}

const DONE: ActionOutcome = { status: 'done' };
const CANCELLED: ActionOutcome = { status: 'cancelled' };

/** What each trading state lets through, for the reason prompt. */
const TRADING_STATE_DETAIL: Record<TradingState, string> = {
  ACTIVE: 'Orders pass as the limits allow.',
  REDUCING: 'Only orders that take the position toward flat pass.',
  HALTED: 'No new order passes and the working orders are cancelled; the agent keeps its position.',
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Speeds offered by the speed control, simulated seconds per wall second. */
export const SPEEDS = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000] as const;

export { describeError };

/**
 * Creates the actions over an engine API, writing failures into the activity log and toasts.
 * `resync` rebuilds the window from a new snapshot when its stream changes (a replay).
 */
export function createActions(api: CockpitApi, store: CockpitStore, ui: UiStore, resync: () => void): CockpitActions {
  async function run<K extends CommandName>(
    label: string,
    name: K,
    prompt: { title: string; detail: string; defaultReason: string; confirmLabel: string; danger?: boolean },
    payload: (reason: string) => CommandRequest<K>,
  ): Promise<ActionOutcome> {
    const reason = await askReason(ui, { ...prompt, danger: prompt.danger ?? false });
    if (reason === null) return CANCELLED;
    const result = await api.invoke(name, payload(reason));
    if (result.ok) return DONE;
    const message = describeError(result.error);
    pushToast(ui, { tone: 'error', title: `${label} failed · ${result.error.code}`, message });
    store.setState((s) => addCockpitActivity(s, 'danger', `${label} failed: ${result.error.code}`, message, reason));
    return { status: 'refused', error: result.error };
  }

  function agentName(agentId: string): string {
    return store.getState().agents.get(agentId)?.name ?? agentId;
  }

  let backtests = 0;
  /** Tells this window's job ids from another window's on the same engine. */
  const windowTag = Math.random().toString(36).slice(2, 8);

  /** Tells the trader how the order turned out: the gate's or venue's refusal with its reason, or where it stands. */
  const reportOrder = (label: string, r: ManualOrderResult): void => {
    if (r.refusal !== null) {
      pushToast(ui, { tone: 'error', title: `${label} denied · ${r.refusal.code}`, message: `${r.orderId}: ${r.refusal.detail} (${r.refusal.by === 'risk' ? 'risk gate' : 'venue'})` });
      store.setState((s) => addCockpitActivity(s, 'danger', `${label} denied: ${r.refusal!.code}`, r.refusal!.detail));
      return;
    }
    pushToast(ui, { tone: 'info', title: `${label} ${r.status}`, message: `${r.orderId}: ${formatSize(r.filled)} lots filled on arrival` });
  };

  const actions: CockpitActions = {
    replay: createReplayActions(api, store, ui, resync),
    placeOrder: async (order) => {
      const tick = store.getState().session?.tickSize ?? 0.01;
      const what = `${order.side} ${formatSize(order.quantity)} ${order.type === 'market' ? 'at market' : `at ${formatPrice(order.price ?? null, tick)}`} ${order.tif.toUpperCase()}${order.postOnly ? ' post-only' : ''}`;
      const reason = await askReason(ui, { title: `Send: ${what}`, detail: 'Your own order, through the same risk gate as the agents’ orders.', defaultReason: 'manual order from cockpit', confirmLabel: order.side === 'buy' ? 'Buy' : 'Sell', danger: false });
      if (reason === null) return CANCELLED;
      const result = await api.invoke('PlaceOrder', { ...order, reason });
      if (!result.ok) {
        pushToast(ui, { tone: 'error', title: `Order failed · ${result.error.code}`, message: describeError(result.error) });
        return { status: 'refused', error: result.error };
      }
      reportOrder('Order', result.value);
      return DONE;
    },
    launchAgent: (request) =>
      run(
        'Launch agent',
        'LaunchAgent',
        {
          title: `Launch ${request.strategy.toUpperCase()}: ${request.side} ${formatSize(request.quantity)} over ${request.horizonMinutes} min`,
          detail: `Decides every ${request.intervalSeconds} s from the next moment${request.limitPrice === undefined ? '' : `, never ${request.side === 'buy' ? 'above' : 'below'} ${formatPrice(request.limitPrice, store.getState().session?.tickSize ?? 0.01)}`}${request.participation === undefined ? '' : `, ${Math.round(request.participation * 100)}% of the volume`}; its orders pass the risk gate.`,
          defaultReason: 'new parent order from cockpit',
          confirmLabel: 'Launch',
        },
        (reason) => ({ ...request, reason }),
      ),
    overrideAgent: (agentId, request) => {
      const tick = store.getState().session?.tickSize ?? 0.01;
      const parts = [
        request.urgency === undefined ? null : `urgency ${request.urgency}×`,
        request.participationCap === undefined ? null : request.participationCap === null ? 'no participation cap' : `participation cap ${Math.round(request.participationCap * 1000) / 10}%`,
        request.limitPrice === undefined ? null : request.limitPrice === null ? 'no limit price' : `limit ${formatPrice(request.limitPrice, tick)}`,
        request.horizonLeftMinutes === undefined ? null : `${request.horizonLeftMinutes} min left`,
        request.pauseAtPrice === undefined ? null : request.pauseAtPrice === null ? 'no pause price' : `pause at ${formatPrice(request.pauseAtPrice, tick)}`,
      ].filter((x): x is string => x !== null);
      return run(
        'Override agent',
        'OverrideAgent',
        { title: `Override ${agentName(agentId)}: ${parts.join(', ')}`, detail: 'Takes effect at its next decision; the card keeps the original beside the new value, with your name and reason.', defaultReason: 'override from cockpit', confirmLabel: 'Override' },
        (reason) => ({ agentId, ...request, reason }),
      );
    },
    startSession: async (market, speed) => {
      const what = market.kind === 'sim' ? `${market.scenario}, seed ${market.seed}` : `${market.day.split('_')[0] ?? market.day} ${market.day.split('_')[1] ?? ''} (recorded day)${market.start === undefined ? '' : ` from ${market.start}`}`;
      const reason = await askReason(ui, {
        title: `Start a new session: ${what} at ${speed}×`,
        detail: 'The live session ends: its agents stop, its working orders go with it and its journal is closed. The new one starts with the default agents; every window follows it.',
        defaultReason: 'new session from cockpit',
        confirmLabel: 'Start session',
        danger: true,
      });
      if (reason === null) return CANCELLED;
      store.setState((s) => addCockpitActivity(s, 'info', 'Starting a new session', what, reason));
      const result = await api.invoke('StartSession', { market, speed, reason });
      if (!result.ok) {
        pushToast(ui, { tone: 'error', title: `Start session failed · ${result.error.code}`, message: describeError(result.error) });
        store.setState((s) => addCockpitActivity(s, 'danger', `Start session failed: ${result.error.code}`, describeError(result.error), reason));
        return { status: 'refused', error: result.error };
      }
      resync();
      pushToast(ui, { tone: 'info', title: 'Session started', message: `${result.value.sessionId}: ${result.value.market}` });
      return DONE;
    },
    retireAgent: (agentId) =>
      run('Retire agent', 'RetireAgent', { title: `Retire ${agentName(agentId)}`, detail: 'Takes the finished agent off the views; its record stays in the journal.', defaultReason: 'order finished', confirmLabel: 'Retire' }, (reason) => ({ agentId, reason })),
    cancelOrder: (orderId) =>
      run('Cancel order', 'CancelOrder', { title: `Cancel ${orderId}`, detail: orderId.startsWith('trader/') ? 'Your working order is cancelled.' : 'The agent’s working order is cancelled; the agent decides again at its next decision.', defaultReason: 'cancelled from cockpit', confirmLabel: 'Cancel order', danger: true }, (reason) => ({ orderId, reason })),
    modifyOrder: async (orderId, price, quantity) => {
      const tick = store.getState().session?.tickSize ?? 0.01;
      const reason = await askReason(ui, { title: `Modify ${orderId}`, detail: `To ${quantity === undefined ? 'the same quantity' : `${formatSize(quantity)} lots`} at ${price === undefined ? 'the same price' : formatPrice(price, tick)}: cancelled and replaced through the risk gate (a replacement the gate refuses leaves the order cancelled).`, defaultReason: 'modified from cockpit', confirmLabel: 'Modify', danger: false });
      if (reason === null) return CANCELLED;
      const result = await api.invoke('ModifyOrder', { orderId, ...(price === undefined ? {} : { price }), ...(quantity === undefined ? {} : { quantity }), reason });
      if (!result.ok) {
        pushToast(ui, { tone: 'error', title: `Modify failed · ${result.error.code}`, message: describeError(result.error) });
        return { status: 'refused', error: result.error };
      }
      reportOrder(`Modify of ${orderId}`, result.value);
      return DONE;
    },
    runBacktest: async (request) => {
      if (store.getState().evaluation.running !== null) return;
      backtests += 1;
      const id = backtests;
      // The job id names this run in the engine's progress events and in CancelWorkflow.
      const jobId = `backtest-${windowTag}-${id}`;
      store.setState((s) => ({ evaluation: { ...s.evaluation, running: { request, jobId, state: 'queued', done: 0, total: 0 } } }));
      const result = await api.invoke('RunBacktest', { ...request, jobId });
      if (result.ok) {
        store.setState((s) => addBacktestRun(s, { id, request, result: result.value }));
        return;
      }
      store.setState((s) => ({ evaluation: { ...s.evaluation, running: null } }));
      if (result.error.code === 'CANCELLED') pushToast(ui, { tone: 'info', title: 'Backtest cancelled', message: describeError(result.error) });
      else pushToast(ui, { tone: 'error', title: `Backtest failed · ${result.error.code}`, message: describeError(result.error) });
    },
    cancelBacktest: async () => {
      const running = store.getState().evaluation.running;
      if (running === null) return;
      const result = await api.invoke('CancelWorkflow', { jobId: running.jobId, reason: 'cancelled from the evaluation view' });
      // REJECTED here means it ended meanwhile: its own answer says how.
      if (!result.ok && result.error.code !== 'REJECTED') pushToast(ui, { tone: 'error', title: `Cancel failed · ${result.error.code}`, message: describeError(result.error) });
    },
    killAll: () =>
      run(
        'Kill all',
        'KillAll',
        {
          title: 'Kill all agents',
          detail:
            store.getState().replay === null
              ? 'Halts every agent, cancels all working orders and blocks new ones until released.'
              : 'This window shows a replay, but the kill switch always reaches the LIVE session: it halts every live agent, cancels all working orders and blocks new ones until released.',
          defaultReason: 'manual kill from cockpit',
          confirmLabel: 'Kill all',
          danger: true,
        },
        (reason) => ({ reason }),
      ),
    releaseKillSwitch: () =>
      run(
        'Release',
        'ReleaseKillSwitch',
        {
          title: 'Release the kill switch',
          detail: 'Lets orders flow again; halted agents stay halted.',
          defaultReason: 'manual release from cockpit',
          confirmLabel: 'Release',
        },
        (reason) => ({ reason }),
      ),
    pauseSession: () =>
      run(
        'Pause session',
        'PauseSession',
        { title: 'Pause the session', detail: 'Stops the simulated clock.', defaultReason: 'manual pause from cockpit', confirmLabel: 'Pause' },
        (reason) => ({ reason }),
      ),
    resumeSession: () =>
      run(
        'Resume session',
        'ResumeSession',
        { title: 'Resume the session', detail: 'Starts the simulated clock again.', defaultReason: 'manual resume from cockpit', confirmLabel: 'Resume' },
        (reason) => ({ reason }),
      ),
    setRiskLimits: (limits) => {
      const now = store.getState().risk?.limits;
      const moved = now === undefined ? '' : describeDeltas(diffLimits(now, limits));
      return run(
        'Set risk limits',
        'SetRiskLimits',
        {
          title: 'Change the hard limits',
          detail: `${moved ? `${capitalise(moved)}. ` : ''}Every order from now on is checked against them (agents with limits of their own keep theirs).`,
          defaultReason: 'limits changed from cockpit',
          confirmLabel: 'Apply limits',
          danger: true,
        },
        (reason) => ({ limits, reason }),
      );
    },
    setAgentLimits: (agentId, limits) => {
      const now = store.getState().risk?.agents.get(agentId)?.limits;
      const moved = limits === null || now === undefined ? '' : describeDeltas(diffAgentLimits(now, limits));
      return run(
        limits === null ? 'Drop own limits' : 'Set own limits',
        'SetAgentLimits',
        {
          title: limits === null ? `Hold ${agentName(agentId)} to the session’s limits` : `Give ${agentName(agentId)} limits of its own`,
          detail:
            limits === null
              ? 'Drops its own limits; its orders are checked against the session’s per-agent limits again.'
              : `${moved ? `${capitalise(moved)}. ` : ''}Its orders from now on are checked against these instead of the session’s per-agent limits.`,
          defaultReason: limits === null ? 'own limits dropped from cockpit' : 'own limits set from cockpit',
          confirmLabel: limits === null ? 'Drop own limits' : 'Apply own limits',
          danger: true,
        },
        (reason) => ({ agentId, limits, reason }),
      );
    },
    setTradingState: (agentId, state) => {
      const who = agentId === null ? 'the session' : agentName(agentId);
      return run(
        'Set trading state',
        'SetTradingState',
        {
          title: `Set ${who} ${state}`,
          detail: TRADING_STATE_DETAIL[state],
          defaultReason: `${state.toLowerCase()} from cockpit`,
          confirmLabel: `Set ${state}`,
          danger: state !== 'ACTIVE',
        },
        (reason) => ({ agentId, state, reason }),
      );
    },
    flatten: (agentId) =>
      run(
        'Flatten',
        'Flatten',
        {
          title: agentId === null ? 'Flatten every agent' : `Flatten ${agentName(agentId)}`,
          detail: `Stops ${agentId === null ? 'every agent’s strategy' : 'the agent’s strategy'}, cancels the working orders and works the position back to flat under the limits (held to REDUCING); reported done when flat.`,
          defaultReason: 'flatten from cockpit',
          confirmLabel: agentId === null ? 'Flatten all' : 'Flatten',
          danger: true,
        },
        (reason) => ({ agentId, reason }),
      ),
    // In a replay the same key plays and pauses the replay: the live session is not on screen.
    toggleSession: async () => {
      if (store.getState().replay !== null) {
        await actions.replay.toggle();
        return DONE;
      }
      return store.getState().session?.state === 'paused' ? actions.resumeSession() : actions.pauseSession();
    },
    setSpeed: (speed) =>
      run(
        'Set speed',
        'SetSpeed',
        {
          title: `Set speed to ×${speed}`,
          detail: `${speed} simulated seconds per wall second.`,
          defaultReason: 'speed change from cockpit',
          confirmLabel: 'Set speed',
        },
        (reason) => ({ speed, reason }),
      ),
    pauseAgent: (agentId) =>
      run(
        'Pause agent',
        'PauseAgent',
        {
          title: `Pause ${agentName(agentId)}`,
          detail: 'Stops the agent deciding; its working orders are cancelled.',
          defaultReason: 'manual pause from cockpit',
          confirmLabel: 'Pause agent',
        },
        (reason) => ({ agentId, reason }),
      ),
    resumeAgent: (agentId) =>
      run(
        'Resume agent',
        'ResumeAgent',
        { title: `Resume ${agentName(agentId)}`, detail: 'Lets the agent decide again.', defaultReason: 'manual resume from cockpit', confirmLabel: 'Resume agent' },
        (reason) => ({ agentId, reason }),
      ),
    killAgent: (agentId) =>
      run(
        'Kill agent',
        'KillAgent',
        {
          title: `Kill ${agentName(agentId)}`,
          detail: 'Halts the agent for good and cancels its working orders.',
          defaultReason: 'manual kill from cockpit',
          confirmLabel: 'Kill agent',
          danger: true,
        },
        (reason) => ({ agentId, reason }),
      ),
  };
  return actions;
}
