/**
 * The execution environment reinforcement-learning agents train in: one parent order per episode,
 * worked in `steps` equal intervals on a venue rebuilt from the episode's seed (the simulator in
 * training; any `Venue` works). An episode is the same kernel as a backtest's and a live session's
 * (execution/kernel.ts), with one agent whose decisions are the learner's actions, so a trained
 * policy sees the same view, meets the same gate and trades the same way when it runs as an
 * `ExecutionStrategy` (`env-policy.ts`).
 *
 * Observation (`OBSERVATION_SIZE` float32s; `OBSERVATION_FIELDS` names them):
 *  0 timeLeft         time left / horizon, in [0, 1]
 *  1 quantityLeft     lots left / parent quantity, in [0, 1]
 *  2 spread           tanh(spread in bps of the mid / 10), in [0, 1)
 *  3 bidDepth         bid size at the touch / (that size + one TWAP slice), in [0, 1)
 *  4 askDepth         ask size at the touch / (that size + one TWAP slice), in [0, 1)
 *  5 imbalance        (bid − ask) / (bid + ask) at the touch, in [−1, 1]
 *  6 volatility       tanh(mid volatility in bps per √s), in [0, 1)
 *  7 recentVolume     v / (v + one TWAP slice), v = market lots printed per interval lately, in [0, 1)
 *  8 scheduleDeviation (filled − TWAP target) / parent quantity, in [−1, 1] (positive = ahead)
 *  9 priceMove        tanh(mid move since arrival in the trader's favour, bps / 20), in (−1, 1)
 * 10 orderFlow        recent aggressive volume on the side that favours the trader (buyers for a
 *                     seller) minus the other, over the recent volume, in [−1, 1]
 * 11 signal0          an external signal clipped to [−1, 1] (0 when none is given); with the market's
 *                     signal (`marketSignal`), its direction: P(up) − P(down) over the model's horizon
 * 12 signal1          idem; with the market's signal, the regime's stress (`SignalReading.regimeStress`)
 *
 * Actions (`ACTION_COUNT` = 9, `ACTIONS` lists them) steer the TWAP schedule rather than replace it,
 * through the baselines' own tactics (`followSchedule`: cross what is late, rest the next slice at
 * the touch, keep resting orders that hold their queue place). Each action is an urgency × a lead:
 *  - urgency 'patient' crosses only what is more than two TWAP slices late; 'on-schedule' crosses
 *    whatever is late (TWAP's rule); 'ahead' crosses one slice beyond the schedule at once;
 *  - lead 0, 1 or 2 rests that many extra slices at the touch beyond the next slice.
 * Action `TWAP_ACTION` (on-schedule, lead 0) is TWAP itself. Sizes are clipped to the quantity left;
 * the parent's limit price always holds.
 *
 * Reward (bps of the arrival mid, over the whole parent quantity, so an episode's rewards add up to
 * minus its shortfall plus the impact penalties):
 *  - each fill of lots q at price p earns −s·(p − m0)/m0·1e4·q/Q (s = +1 buy, −1 sell);
 *  - the adverse move of the mid the step's own orders cause (mid just after sending them minus
 *    just before, at the same instant, so only the agent moved it) is charged on the lots still to
 *    trade: −impactPenalty · max(0, s·Δmid/m0·1e4) · (lots left / Q);
 *  - the tracking error to the TWAP schedule after the step is charged, when `trackingPenalty` w is
 *    set: −w · (deviation in TWAP slices)² / steps, so holding one slice off the schedule for a whole
 *    episode costs w bps (a benchmark-tracking risk term; it adds no cost to following TWAP);
 *  - the inventory still held after the step is charged, when `inventoryPenalty` r is set:
 *    −r · (lots left / Q)² / steps, so holding the whole order for the whole episode costs r bps and
 *    TWAP about r/3 (an Almgren–Chriss-style risk-aversion term: it pays for lowering timing risk);
 *  - at the horizon the session sweeps what is left at market (its fills count as above), and lots
 *    the sweep could not fill are charged as in the metrics: −(U/Q)·(s·(m_T − m0)/m0·1e4 + unfilledPenaltyBps).
 *
 * Deterministic per seed: the venue is rebuilt from the seed and the environment draws no chance.
 * `ENV_LAYOUT` names this observation and action layout; a policy saved for another layout is
 * refused when loaded.
 */

import type { ExecutionStrategy, MarketView, ParentOrder, StrategyStep } from '../execution/types';
import { costSign } from '../execution/types';
import { DEFAULT_UNFILLED_PENALTY_BPS } from '../execution/metrics';
import { MarketObserver, warmUpTo } from '../execution/market-observer';
import { twapFraction } from '../execution/schedules';
import type { ExecutionSession } from '../execution/session';
import type { Kernel } from '../execution/kernel';
import { episodeKernel, failIfStopped } from '../execution/runner';
import { followSchedule } from '../execution/tactics';
import type { Venue } from '../venue/types';
import type { RiskLimits } from '../risk/limits';
import { NS_PER_SECOND as SECOND } from '../core/clock';
import { signalSlots, type MarketSignal } from '../signals/market-signal';

/** The observation's fields, in order (see the module comment). */
export const OBSERVATION_FIELDS = [
  'timeLeft',
  'quantityLeft',
  'spread',
  'bidDepth',
  'askDepth',
  'imbalance',
  'volatility',
  'recentVolume',
  'scheduleDeviation',
  'priceMove',
  'orderFlow',
  'signal0',
  'signal1',
] as const;
/** Float32s per observation. */
export const OBSERVATION_SIZE = OBSERVATION_FIELDS.length;
/** Observation slots left for external signals. */
export const SIGNAL_SLOTS = 2;

/** The observation and action layout of this module; saved with every policy (see the module comment). */
export const ENV_LAYOUT = 'schedule-9.obs-13';

/** How urgently an action works the schedule. */
export type Urgency = 'patient' | 'on-schedule' | 'ahead';

/** One discrete action: an urgency and a lead (see the module comment). */
export interface ActionSpec {
  readonly urgency: Urgency;
  /** Extra TWAP slices rested at the touch beyond the next slice. */
  readonly lead: 0 | 1 | 2;
}

/** The discrete actions, by index: urgency-major, lead-minor. */
export const ACTIONS: readonly ActionSpec[] = (['patient', 'on-schedule', 'ahead'] as const).flatMap((urgency) => ([0, 1, 2] as const).map((lead) => ({ urgency, lead })));
/** The number of discrete actions. */
export const ACTION_COUNT = ACTIONS.length;
/** The action that is TWAP itself: on schedule, no lead. */
export const TWAP_ACTION = 3;
/** Lots, in TWAP slices, a patient action lets the order lag before it crosses. */
export const PATIENT_TOLERANCE_SLICES = 2;

/** Returns a short label of an action: "on schedule", "patient, +1 rested", "1 slice ahead, +2 rested". */
export function describeAction(spec: ActionSpec): string {
  const urgency = spec.urgency === 'patient' ? 'patient' : spec.urgency === 'ahead' ? '1 slice ahead' : 'on schedule';
  return spec.lead === 0 ? urgency : `${urgency}, +${spec.lead} rested`;
}

/** Where episodes run: a venue rebuilt per seed (see `BacktestMarket`, which satisfies it). */
export interface EnvMarket {
  readonly tickSize: number;
  readonly venuePrintsAgentFills: boolean;
  readonly preTradeNs: number;
  open(seed: number): { readonly venue: Venue; readonly startNs: number };
}

/** What every episode of an environment trades and how it is rewarded. */
export interface ExecutionEnvConfig {
  readonly market: EnvMarket;
  readonly parent: ParentOrder;
  /** Decisions per episode; the interval is horizon / steps (an integer ns count). */
  readonly steps: number;
  /** Weight of the adverse-move penalty; defaults to 1. */
  readonly impactPenalty?: number;
  /** Bps an episode costs held one TWAP slice off the schedule throughout (see the module comment); defaults to 0. */
  readonly trackingPenalty?: number;
  /** Bps an episode costs holding the whole parent quantity throughout (see the module comment); defaults to 0. */
  readonly inventoryPenalty?: number;
  readonly unfilledPenaltyBps?: number;
  /** Sampling step of the pre-trade warm-up; defaults to 1 s. */
  readonly warmUpStepNs?: number;
  /** Fills the signal slots from the view (values are clipped to [−1, 1]); `signalSlots` when `marketSignal` is given. */
  readonly signals?: (view: MarketView) => ArrayLike<number>;
  /** Makes each episode's market signal (fed from the warm-up on): the views carry its reading. */
  readonly marketSignal?: () => MarketSignal;
  /** Keep `Decision` records (slower; off by default). */
  readonly recordDecisions?: boolean;
  /** The hard limits every order meets; `episodeLimits(parent.quantity)` when not given. */
  readonly limits?: RiskLimits;
}

/** What a step reports beside its reward. */
export interface EnvInfo {
  readonly ts: number;
  readonly filled: number;
  readonly quantityLeft: number;
  /** Reward parts of this step. */
  readonly executionReward: number;
  readonly impactPenalty: number;
  readonly trackingPenalty: number;
  readonly inventoryPenalty: number;
  readonly terminalPenalty: number;
  /** At the end of an episode: its implementation shortfall in bps (positive = cost), as in the metrics. */
  readonly shortfallBps?: number;
}

/** The result of one environment step. */
export interface StepResult {
  readonly observation: Float32Array;
  readonly reward: number;
  readonly done: boolean;
  readonly info: EnvInfo;
}

/** Returns the TWAP slice in lots for a parent order cut into `steps` (at least one lot). */
export function twapSlice(quantity: number, steps: number): number {
  return Math.max(1, quantity / steps);
}

/**
 * Writes the observation of `view` into `out` at `offset` (see the module comment); `slice` is the
 * TWAP slice in lots, `intervalNs` the decision interval.
 */
export function encodeObservation(view: MarketView, slice: number, intervalNs: number, out: Float32Array, offset = 0, signals?: ArrayLike<number>): void {
  const q = view.parent.quantity;
  const s = costSign(view.parent.side);
  const h = view.parent.horizonNs;
  const spreadBps = view.mid > 0 ? (view.spread / view.mid) * 10_000 : 0;
  const perInterval = (view.recentVolume * intervalNs) / view.recentVolumeWindowNs;
  const twapTarget = q * Math.min(1, Math.max(0, (view.ts - view.startNs) / h));
  const moveBps = view.arrivalMid > 0 ? (-s * (view.mid - view.arrivalMid) * 10_000) / view.arrivalMid : 0;
  out[offset] = view.timeLeftNs / h;
  out[offset + 1] = view.quantityLeft / q;
  out[offset + 2] = Math.tanh(spreadBps / 10);
  out[offset + 3] = view.bidSizeAtTouch / (view.bidSizeAtTouch + slice);
  out[offset + 4] = view.askSizeAtTouch / (view.askSizeAtTouch + slice);
  out[offset + 5] = view.imbalance;
  out[offset + 6] = Math.tanh(view.volatilityBpsPerSqrtS);
  out[offset + 7] = perInterval / (perInterval + slice);
  out[offset + 8] = Math.max(-1, Math.min(1, (view.filled - twapTarget) / q));
  out[offset + 9] = Math.tanh(moveBps / 20);
  out[offset + 10] = view.recentVolume > 0 ? Math.max(-1, Math.min(1, (-s * view.recentSignedVolume) / view.recentVolume)) : 0;
  for (let k = 0; k < SIGNAL_SLOTS; k++) {
    const x = signals ? Number(signals[k] ?? 0) : 0;
    out[offset + 11 + k] = Number.isFinite(x) ? Math.max(-1, Math.min(1, x)) : 0;
  }
}

/** Returns the step an action index asks for, given the view and the TWAP slice; throws on an unknown index. */
export function actionToStep(action: number, view: MarketView, slice: number): StrategyStep {
  const spec = ACTIONS[action];
  if (!Number.isInteger(action) || spec === undefined) throw new Error(`action must be an integer in [0, ${ACTION_COUNT}), received ${action}`);
  const q = view.parent.quantity;
  const h = view.parent.horizonNs;
  const extraNow = spec.urgency === 'ahead' ? slice : 0;
  const now = Math.min(q, q * twapFraction(view.elapsed) + extraNow);
  const next = Math.min(q, q * twapFraction((view.ts + view.nextDecisionInNs - view.startNs) / h) + extraNow + spec.lead * slice);
  const tolerance = spec.urgency === 'patient' ? PATIENT_TOLERANCE_SLICES * slice : 0;
  return followSchedule(view, { now, next }, { label: `policy (${describeAction(spec)})`, tolerance, inputs: { action } });
}

/** One execution episode at a time; see the module comment. */
export class ExecutionEnv {
  readonly config: ExecutionEnvConfig;
  readonly intervalNs: number;
  readonly slice: number;
  private session: ExecutionSession | null = null;
  /** The episode's kernel: the venue, this one agent and the gate (see reset). */
  private kernel: Kernel | null = null;
  /** The learner's action for the agent's next decision, and the mid the decision saw. */
  private pending: number | null = null;
  private decidedAtMid = NaN;
  /** The agent's strategy: whatever action the learner gave with `step`. */
  private readonly learner: ExecutionStrategy = {
    name: 'rl',
    decide: (view) => {
      const action = this.pending;
      if (action === null) throw new Error('the env agent was asked to decide without an action');
      this.pending = null;
      this.decidedAtMid = view.mid;
      return actionToStep(action, view, this.slice);
    },
  };
  private stepIndex = 0;
  private readonly obs = new Float32Array(OBSERVATION_SIZE);
  private readonly impactWeight: number;
  private readonly trackingWeight: number;
  private readonly inventoryWeight: number;
  private readonly unfilledPenalty: number;

  constructor(config: ExecutionEnvConfig) {
    if (!Number.isSafeInteger(config.steps) || config.steps <= 0) throw new Error(`steps must be a positive integer, received ${config.steps}`);
    const interval = config.parent.horizonNs / config.steps;
    if (!Number.isSafeInteger(interval)) throw new Error(`the horizon (${config.parent.horizonNs} ns) must split into ${config.steps} whole-ns intervals`);
    this.config = config;
    this.intervalNs = interval;
    this.slice = twapSlice(config.parent.quantity, config.steps);
    this.impactWeight = config.impactPenalty ?? 1;
    this.trackingWeight = config.trackingPenalty ?? 0;
    if (!(this.trackingWeight >= 0) || !Number.isFinite(this.trackingWeight)) throw new Error(`trackingPenalty must be a finite number ≥ 0, received ${config.trackingPenalty}`);
    this.inventoryWeight = config.inventoryPenalty ?? 0;
    if (!(this.inventoryWeight >= 0) || !Number.isFinite(this.inventoryWeight)) throw new Error(`inventoryPenalty must be a finite number ≥ 0, received ${config.inventoryPenalty}`);
    this.unfilledPenalty = config.unfilledPenaltyBps ?? DEFAULT_UNFILLED_PENALTY_BPS;
  }

  /** Steps taken in the current episode. */
  get stepsTaken(): number {
    return this.stepIndex;
  }

  /** The running session (null before the first reset), for inspection. */
  get current(): ExecutionSession | null {
    return this.session;
  }

  /** Starts an episode on the venue rebuilt from `seed` and returns its first observation (a view valid until the next call). */
  reset(seed: number): Float32Array {
    const { market, parent } = this.config;
    const { venue, startNs } = market.open(seed);
    const observer = new MarketObserver();
    const signal = this.config.marketSignal?.();
    signal?.resync(venue);
    warmUpTo(venue, observer, startNs, this.config.warmUpStepNs ?? SECOND, signal);
    // The episode is the kernel with one agent, whose decisions are the learner's actions; its
    // episodes run to the horizon whatever it has filled, so every episode has `steps` steps.
    const kernel = episodeKernel({
      venue,
      strategy: this.learner,
      parent,
      agentId: 'rl',
      tickSize: market.tickSize,
      decisionIntervalNs: this.intervalNs,
      observer,
      recordDecisions: this.config.recordDecisions ?? false,
      venuePrintsAgentFills: market.venuePrintsAgentFills,
      ...(this.config.limits === undefined ? {} : { limits: this.config.limits }),
      finishWhenFilled: false,
      ...(signal === undefined ? {} : { signal }),
    });
    // The agent opens its session now; its first decision waits for the learner's action.
    kernel.elapse(0, false);
    this.kernel = kernel;
    this.session = kernel.agentSession(0);
    if (this.session === null) throw new Error('the episode agent did not start');
    this.pending = null;
    this.stepIndex = 0;
    this.encode(this.session.observe());
    return this.obs;
  }

  /** Carries out `action` for one interval and returns what followed (the observation is a view valid until the next call). */
  step(action: number): StepResult {
    const session = this.session;
    const kernel = this.kernel;
    if (!session || !kernel) throw new Error('step() before reset(): call reset(seed) first');
    if (this.stepIndex >= this.config.steps) throw new Error(`the episode is over after ${this.config.steps} steps; call reset(seed)`);
    const { parent } = this.config;
    const s = costSign(parent.side);
    const m0 = session.arrivalMid;
    const q = parent.quantity;
    const fillsBefore = session.fills.length;

    if (!Number.isInteger(action) || ACTIONS[action] === undefined) throw new Error(`action must be an integer in [0, ${ACTION_COUNT}), received ${action}`);
    // The agent decides now, with this action, through the gate; then the interval passes.
    this.pending = action;
    kernel.elapse(0);
    failIfStopped(kernel);
    const midBefore = this.decidedAtMid;
    const midAfter = sessionMid(session, midBefore);
    const adverse = Math.max(0, (s * (midAfter - midBefore) * 10_000) / m0);
    const impactPenalty = this.impactWeight * adverse * ((q - session.filled) / q);

    kernel.elapse(this.intervalNs, false);
    this.stepIndex++;
    const done = this.stepIndex >= this.config.steps;
    const deviationSlices = (session.filled - q * twapFraction(this.stepIndex / this.config.steps)) / this.slice;
    const trackingPenalty = done ? 0 : (this.trackingWeight * deviationSlices * deviationSlices) / this.config.steps;
    const held = (q - session.filled) / q;
    const inventoryPenalty = done ? 0 : (this.inventoryWeight * held * held) / this.config.steps;
    let terminalPenalty = 0;
    let shortfallBps: number | undefined;
    if (done) {
      // At the horizon the agent sweeps what is left.
      kernel.elapse(0);
      failIfStopped(kernel);
      const endMid = sessionMid(session, session.lastMid);
      const unfilled = q - session.filled;
      terminalPenalty = (unfilled / q) * ((s * (endMid - m0) * 10_000) / m0 + this.unfilledPenalty);
      shortfallBps = (s * (session.notional - session.filled * m0) * 10_000) / (m0 * q) + terminalPenalty;
    }
    let executionReward = 0;
    for (let i = fillsBefore; i < session.fills.length; i++) {
      const f = session.fills[i] as { price: number; size: number };
      executionReward -= (s * (f.price - m0) * 10_000 * f.size) / (m0 * q);
    }
    this.encode(session.observe());
    return {
      observation: this.obs,
      reward: executionReward - impactPenalty - trackingPenalty - inventoryPenalty - terminalPenalty,
      done,
      info: {
        ts: session.venue.now(),
        filled: session.filled,
        quantityLeft: q - session.filled,
        executionReward,
        impactPenalty,
        trackingPenalty,
        inventoryPenalty,
        terminalPenalty,
        ...(shortfallBps === undefined ? {} : { shortfallBps }),
      },
    };
  }

  private encode(view: MarketView): void {
    const slots = this.config.signals ?? (this.config.marketSignal ? signalSlots : undefined);
    encodeObservation(view, this.slice, this.intervalNs, this.obs, 0, slots?.(view));
  }
}

function sessionMid(session: ExecutionSession, fallback: number): number {
  const b = session.venue.bestBid();
  const a = session.venue.bestAsk();
  return b !== undefined && a !== undefined ? (a + b) / 2 : fallback;
}

/** The result of one vectorised step. */
export interface VecStepResult {
  /** n × OBSERVATION_SIZE, env i at i·OBSERVATION_SIZE; for a finished env, the next episode's first observation. Valid until the next call. */
  readonly observations: Float32Array;
  readonly rewards: Float32Array;
  /** 1 where the env's episode ended at this step (it has been reset since). */
  readonly dones: Uint8Array;
  readonly infos: readonly EnvInfo[];
}

/**
 * `n` environments stepped together, with flat typed arrays in and out. An env whose episode ends is
 * reset at once on its next seed: env i's k-th episode runs on seed `baseSeed + k·n + i`, so a
 * `reset(baseSeed)` fixes every episode of the run.
 */
export class VecExecutionEnv {
  readonly n: number;
  readonly envs: readonly ExecutionEnv[];
  private readonly observations: Float32Array;
  private readonly rewards: Float32Array;
  private readonly dones: Uint8Array;
  private readonly episodes: Int32Array;
  private baseSeed = 0;

  constructor(config: ExecutionEnvConfig, n: number) {
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`the number of envs must be a positive integer, received ${n}`);
    this.n = n;
    this.envs = Array.from({ length: n }, () => new ExecutionEnv(config));
    this.observations = new Float32Array(n * OBSERVATION_SIZE);
    this.rewards = new Float32Array(n);
    this.dones = new Uint8Array(n);
    this.episodes = new Int32Array(n);
  }

  /** Resets every env (env i on seed `baseSeed + i`) and returns their observations. */
  reset(baseSeed: number): Float32Array {
    if (!Number.isSafeInteger(baseSeed)) throw new Error(`baseSeed must be an integer, received ${baseSeed}`);
    this.baseSeed = baseSeed;
    this.episodes.fill(0);
    for (let i = 0; i < this.n; i++) this.observations.set((this.envs[i] as ExecutionEnv).reset(baseSeed + i), i * OBSERVATION_SIZE);
    return this.observations;
  }

  /** Steps env i with `actions[i]`; see `VecStepResult`. */
  step(actions: ArrayLike<number>): VecStepResult {
    if (actions.length !== this.n) throw new Error(`expected one action per env (${this.n}), received ${actions.length}`);
    const infos: EnvInfo[] = new Array<EnvInfo>(this.n);
    for (let i = 0; i < this.n; i++) {
      const env = this.envs[i] as ExecutionEnv;
      const r = env.step(actions[i] as number);
      this.rewards[i] = r.reward;
      this.dones[i] = r.done ? 1 : 0;
      infos[i] = r.info;
      if (r.done) {
        const k = ++this.episodes[i]!;
        this.observations.set(env.reset(this.baseSeed + k * this.n + i), i * OBSERVATION_SIZE);
      } else {
        this.observations.set(r.observation, i * OBSERVATION_SIZE);
      }
    }
    return { observations: this.observations, rewards: this.rewards, dones: this.dones, infos };
  }
}
