/**
 * The simulator's background agents. Each is a small class driven by its own events in the
 * kernel's queue (`handle`), with its own forked `Rng` and latency model. Agents that read the book
 * act on a view that is `marketData` latency old: on waking they note the touch and act on it that
 * much later; their orders reach the book after the entry latency. Prices are integer ticks.
 */

import type { Rng } from '../core/rng';
import { NS_PER_SECOND } from '../core/clock';
import type { SimMarket } from './market';
import type { LatencyModel } from './sampling';
import { compileIntDistribution, exponentialDraw } from './sampling';
import type { Sampler } from './sampling';
import type { Distribution, LatencyParams, Scenario } from './scenario';

const BUY = 0;
const SELL = 1;

/** Agent event kinds. */
const K_WAKE = 0;
const K_ACT = 1;
const K_CANCEL = 2;
const K_RESUME = 3;

/** The touch a delayed decision acts on travels in the event argument: bid · 2^22 + spread. */
const VIEW_SHIFT = 4_194_304;

export type AgentKind = 'zeroIntelligence' | 'marketMaker' | 'informed' | 'momentum' | 'meanReversion' | 'hawkes' | 'aggressiveSeller';

/** A background agent: the kernel calls `start` once, then `handle` for each of its events. */
export abstract class SimAgent {
  abstract readonly kind: AgentKind;
  /** Owner id of its orders in the book. */
  readonly owner: number;

  constructor(
    readonly index: number,
    protected readonly rng: Rng,
    readonly latency: LatencyModel,
  ) {
    this.owner = index + 1;
  }

  /** Schedules the agent's first events. */
  abstract start(m: SimMarket): void;

  /** Handles one of its events. */
  handle(m: SimMarket, kind: number, arg: number): void {
    if (kind === K_WAKE) this.wake(m);
    else if (kind === K_ACT) {
      const bid = Math.floor(arg / VIEW_SHIFT);
      this.act(m, bid, bid + (arg - bid * VIEW_SHIFT));
    } else if (kind === K_CANCEL) m.sendCancel(this, arg);
    else if (kind === K_RESUME) this.resumeNow(m);
  }

  /** Called when one of its resting orders trades (`side` is the order's side). */
  onFill(_m: SimMarket, _id: number, _side: number, _price: number, _size: number, _remaining: number): void {}

  /** Called when one of its limit orders reaches the book: what rests and what traded on arrival. */
  onArrived(_m: SimMarket, _id: number, _side: number, _price: number, _resting: number, _filled: number, _tag: number): void {}

  /** Pulls all quotes until `resume` (market makers only). */
  withdraw(_m: SimMarket): void {}

  /** Comes back at `at` (market makers only). */
  resume(m: SimMarket, at: number): void {
    m.schedule(at, this.index, K_RESUME, 0);
  }

  protected resumeNow(_m: SimMarket): void {}

  protected wake(_m: SimMarket): void {}

  protected act(_m: SimMarket, _bid: number, _ask: number): void {}

  /** Acts now on the touch, or later on the touch as it is now (market-data latency). */
  protected observe(m: SimMarket): void {
    const bid = m.bid();
    const ask = m.ask();
    const md = this.latency.instant ? 0 : this.latency.marketData();
    if (md === 0) this.act(m, bid, ask);
    else m.schedule(m.now() + md, this.index, K_ACT, bid * VIEW_SHIFT + (ask - bid));
  }

  /** Draws a thinned Poisson wake: schedules the next candidate and returns whether this one counts. */
  protected thinnedWake(m: SimMarket, ratePerSecond: number): boolean {
    const u = this.rng.next();
    const gap = exponentialDraw(this.rng, NS_PER_SECOND / (ratePerSecond * m.maxActivity));
    m.schedule(m.now() + Math.max(1, Math.round(gap)), this.index, K_WAKE, 0);
    return u * m.maxActivity < m.activity(m.now());
  }

  protected firstWake(m: SimMarket, ratePerSecond: number): void {
    if (ratePerSecond <= 0) return;
    const gap = exponentialDraw(this.rng, NS_PER_SECOND / (ratePerSecond * m.maxActivity));
    m.schedule(m.now() + Math.max(1, Math.round(gap)), this.index, K_WAKE, 0);
  }
}

/**
 * Zero-intelligence flow (Santa Fe / Farmer et al.): limit orders priced a random distance from the
 * opposite best, market orders, and cancellations at a constant rate per resting order (each order
 * is given an exponential lifetime when sent). Rates follow the intraday activity profile.
 */
class ZeroIntelligence extends SimAgent {
  readonly kind = 'zeroIntelligence';
  private readonly p: Scenario['zeroIntelligence'];
  private readonly placement: Sampler;
  private readonly limitSize: Sampler;
  private readonly marketSize: Sampler;
  private readonly rate: number;
  private readonly limitShare: number;
  private readonly meanLifeNs: number;

  constructor(index: number, rng: Rng, latency: LatencyModel, p: Scenario['zeroIntelligence']) {
    super(index, rng, latency);
    this.p = p;
    this.placement = compileIntDistribution(p.placement);
    this.limitSize = compileIntDistribution(p.limitSize);
    this.marketSize = compileIntDistribution(p.marketSize);
    this.rate = 2 * (p.limitRate + p.marketRate);
    this.limitShare = this.rate > 0 ? p.limitRate / (p.limitRate + p.marketRate) : 0;
    this.meanLifeNs = p.cancelRate > 0 ? NS_PER_SECOND / p.cancelRate : Infinity;
  }

  start(m: SimMarket): void {
    const start = m.scenario.instrument.startPriceTicks;
    for (let i = 0; i < this.p.initialOrdersPerSide; i++) {
      for (let side = BUY; side <= SELL; side++) {
        const d = this.placement(this.rng);
        const size = this.limitSize(this.rng);
        const life = this.lifetime();
        m.sendLimit(this, side, side === BUY ? start - d : start + d, size, life);
      }
    }
    this.firstWake(m, this.rate);
  }

  override onArrived(m: SimMarket, id: number, _side: number, _price: number, resting: number, _filled: number, tag: number): void {
    if (resting > 0 && tag < Infinity) m.schedule(m.now() + tag, this.index, K_CANCEL, id);
  }

  protected override wake(m: SimMarket): void {
    if (this.thinnedWake(m, this.rate)) this.observe(m);
  }

  protected override act(m: SimMarket, bid: number, ask: number): void {
    const rng = this.rng;
    const isLimit = rng.next() < this.limitShare;
    const side = rng.next() < 0.5 ? BUY : SELL;
    const d = this.placement(rng);
    const lsize = this.limitSize(rng);
    const msize = this.marketSize(rng);
    const life = this.lifetime();
    if (isLimit) m.sendLimit(this, side, side === BUY ? ask - d : bid + d, lsize, life);
    else m.sendMarket(this, side, msize);
  }

  private lifetime(): number {
    const u = this.rng.next();
    return this.meanLifeNs === Infinity ? Infinity : Math.max(1, Math.round(-Math.log(1 - u) * this.meanLifeNs));
  }
}

/**
 * A market maker with inventory control: it quotes `levels` levels a side around a fair value (an
 * EWMA of the mid, or the fundamental, or a mix), shifted by what the order flow tells it when the
 * scenario has the flow-impact channel (`sim/flow-impact.ts`) and against its inventory, wider
 * when the mid has been moving, and stops
 * adding to an inventory beyond its limit. It re-quotes every `requoteMs` on average, replacing
 * only the quotes whose price changed.
 */
class MarketMaker extends SimAgent {
  readonly kind = 'marketMaker';
  private readonly p: Scenario['marketMakers'];
  private readonly size: Sampler;
  private readonly ids: Float64Array;
  private readonly px: Float64Array;
  private readonly left: Float64Array;
  private inventory = 0;
  private fair = NaN;
  private lastMid = NaN;
  private vol = 0;
  private withdrawn = false;

  constructor(index: number, rng: Rng, latency: LatencyModel, p: Scenario['marketMakers']) {
    super(index, rng, latency);
    this.p = p;
    this.size = compileIntDistribution(p.size);
    // Levels 0..L-1 are bids, L..2L-1 asks.
    this.ids = new Float64Array(2 * p.levels);
    this.px = new Float64Array(2 * p.levels);
    this.left = new Float64Array(2 * p.levels);
  }

  start(m: SimMarket): void {
    const gap = this.rng.next() * this.p.requoteMs * 1e6;
    m.schedule(m.now() + Math.max(1, Math.round(gap)), this.index, K_WAKE, 0);
  }

  /** Returns the maker's inventory in lots. */
  get position(): number {
    return this.inventory;
  }

  protected override wake(m: SimMarket): void {
    const gap = (0.5 + this.rng.next()) * this.p.requoteMs * 1e6;
    m.schedule(m.now() + Math.max(1, Math.round(gap)), this.index, K_WAKE, 0);
    if (!this.withdrawn) this.observe(m);
  }

  protected override act(m: SimMarket, bid: number, ask: number): void {
    if (this.withdrawn) return;
    const p = this.p;
    const mid = (bid + ask) / 2;
    if (Number.isNaN(this.fair)) {
      this.fair = mid;
      this.lastMid = mid;
    }
    this.vol = 0.9 * this.vol + 0.1 * Math.abs(mid - this.lastMid);
    this.lastMid = mid;
    this.fair = p.fairValueWeight * mid + (1 - p.fairValueWeight) * this.fair;
    const w = p.fundamentalWeight;
    const reference = w > 0 ? w * m.fundamental + (1 - w) * this.fair : this.fair;
    const flow = m.flowImpact === undefined ? 0 : m.flowImpact.shift(m.now());
    const center = reference + flow - this.inventory * p.inventorySkewTicksPerLot;
    const half = p.spreadTicks / 2 + p.volatilityWidening * this.vol;
    const L = p.levels;
    const bidTop = Math.min(Math.floor(center - half + 1e-9), ask - 1);
    const askTop = Math.max(Math.ceil(center + half - 1e-9), bid + 1);
    const quoteBids = this.inventory < p.maxInventory;
    const quoteAsks = this.inventory > -p.maxInventory;
    for (let k = 0; k < L; k++) {
      this.quote(m, k, BUY, quoteBids ? bidTop - k * p.levelSpacingTicks : 0);
      this.quote(m, L + k, SELL, quoteAsks ? askTop + k * p.levelSpacingTicks : 0);
    }
  }

  /** Keeps slot `k` at `price` (0: no quote), replacing the order when the price changed. */
  private quote(m: SimMarket, k: number, side: number, price: number): void {
    const id = this.ids[k]!;
    if (id !== 0 && this.px[k] === price && this.left[k]! > 0) return;
    if (id !== 0) {
      m.sendCancel(this, id);
      this.ids[k] = 0;
      this.left[k] = 0;
    }
    if (price < 1) return;
    const size = this.size(this.rng);
    this.px[k] = price;
    this.left[k] = size;
    this.ids[k] = m.sendLimit(this, side, price, size, k);
  }

  override onArrived(_m: SimMarket, id: number, side: number, _price: number, resting: number, filled: number, tag: number): void {
    this.inventory += side === BUY ? filled : -filled;
    if (this.ids[tag] === id) {
      this.left[tag] = resting;
      if (resting === 0) this.ids[tag] = 0;
    }
  }

  override onFill(_m: SimMarket, id: number, side: number, _price: number, size: number, remaining: number): void {
    this.inventory += side === BUY ? size : -size;
    const ids = this.ids;
    for (let k = 0; k < ids.length; k++) {
      if (ids[k] === id) {
        this.left[k] = remaining;
        if (remaining === 0) ids[k] = 0;
        return;
      }
    }
  }

  override withdraw(m: SimMarket): void {
    this.withdrawn = true;
    for (let k = 0; k < this.ids.length; k++) {
      if (this.ids[k] !== 0) m.sendCancel(this, this.ids[k]!);
      this.ids[k] = 0;
      this.left[k] = 0;
    }
  }

  protected override resumeNow(m: SimMarket): void {
    this.withdrawn = false;
    this.fair = NaN;
    this.observe(m);
  }
}

/** An agent that wakes at `p.rate` per second (thinned by the activity profile) and acts on the book it then observes, with sizes drawn from `p.size`. */
abstract class RateAgent<P extends { readonly rate: number; readonly size: Distribution }> extends SimAgent {
  protected readonly size: Sampler;

  constructor(
    index: number,
    rng: Rng,
    latency: LatencyModel,
    protected readonly p: P,
  ) {
    super(index, rng, latency);
    this.size = compileIntDistribution(p.size);
  }

  start(m: SimMarket): void {
    this.firstWake(m, this.p.rate);
  }

  protected override wake(m: SimMarket): void {
    if (this.thinnedWake(m, this.p.rate)) this.observe(m);
  }
}

/**
 * An informed trader: it knows the fundamental value and takes liquidity when the touch is far from
 * it: the touch only, or (`tradeUpToFundamental`) every level up to the fundamental less the threshold.
 */
class Informed extends RateAgent<Scenario['informed']> {
  readonly kind = 'informed';

  protected override act(m: SimMarket, bid: number, ask: number): void {
    const size = this.size(this.rng);
    const v = m.fundamental;
    const th = this.p.thresholdTicks;
    if (this.p.tradeUpToFundamental) {
      // Takes everything offered up to the fundamental less the threshold (immediate-or-cancel), so
      // in a dislocated book the value trader sweeps the cheap levels instead of only the touch.
      if (v - ask > th) m.sendLimit(this, BUY, Math.floor(v - th), size, 0, 'IOC');
      else if (bid - v > th) m.sendLimit(this, SELL, Math.ceil(v + th), size, 0, 'IOC');
    } else if (v - ask > th) m.sendMarket(this, BUY, size);
    else if (bid - v > th) m.sendMarket(this, SELL, size);
  }
}

/**
 * A chartist on two EWMAs of the mid. Momentum takes liquidity in the direction of the move;
 * mean reversion rests a limit order at its own touch against the move, for `slowSeconds`.
 */
class Trend extends RateAgent<Scenario['momentum']> {
  readonly kind: 'momentum' | 'meanReversion';
  private fast = NaN;
  private slow = NaN;
  private last = 0;

  constructor(index: number, rng: Rng, latency: LatencyModel, p: Scenario['momentum'], kind: 'momentum' | 'meanReversion') {
    super(index, rng, latency, p);
    this.kind = kind;
  }

  protected override act(m: SimMarket, bid: number, ask: number): void {
    const size = this.size(this.rng);
    const mid = (bid + ask) / 2;
    const t = m.now();
    if (Number.isNaN(this.fast)) {
      this.fast = mid;
      this.slow = mid;
      this.last = t;
      return;
    }
    const dt = (t - this.last) / NS_PER_SECOND;
    this.last = t;
    this.fast += (1 - Math.exp(-dt / this.p.fastSeconds)) * (mid - this.fast);
    this.slow += (1 - Math.exp(-dt / this.p.slowSeconds)) * (mid - this.slow);
    const signal = this.fast - this.slow;
    if (Math.abs(signal) <= this.p.thresholdTicks) return;
    const up = signal > 0;
    if (this.kind === 'momentum') {
      m.sendMarket(this, up ? BUY : SELL, size);
    } else {
      const life = Math.round(this.p.slowSeconds * NS_PER_SECOND);
      if (up) m.sendLimit(this, SELL, ask, size, life);
      else m.sendLimit(this, BUY, bid, size, life);
    }
  }

  override onArrived(m: SimMarket, id: number, _side: number, _price: number, resting: number, _filled: number, tag: number): void {
    if (resting > 0) m.schedule(m.now() + tag, this.index, K_CANCEL, id);
  }
}

/**
 * Self-exciting market orders: a Hawkes process with intensity μ·activity(t) + Σ α·e^{−β(t−tᵢ)},
 * simulated exactly by Ogata's thinning. Each order keeps the previous one's side with probability
 * `sidePersistence` (split orders make trade signs persistent).
 */
class HawkesTaker extends SimAgent {
  readonly kind = 'hawkes';
  private readonly p: Scenario['hawkes'];
  private readonly size: Sampler;
  private excitation = 0;
  private excitedAt = 0;
  private bound = 0;
  private side = BUY;

  constructor(index: number, rng: Rng, latency: LatencyModel, p: Scenario['hawkes']) {
    super(index, rng, latency);
    this.p = p;
    this.size = compileIntDistribution(p.size);
  }

  start(m: SimMarket): void {
    this.excitedAt = m.now();
    this.scheduleCandidate(m);
  }

  /** Returns the current intensity, per second. */
  intensity(m: SimMarket): number {
    return this.p.baseRate * m.activity(m.now()) + this.excitationNow(m);
  }

  private excitationNow(m: SimMarket): number {
    return this.excitation * Math.exp((-this.p.beta * (m.now() - this.excitedAt)) / NS_PER_SECOND);
  }

  private scheduleCandidate(m: SimMarket): void {
    this.bound = this.p.baseRate * m.maxActivity + this.excitationNow(m);
    if (this.bound <= 0) return;
    const gap = exponentialDraw(this.rng, NS_PER_SECOND / this.bound);
    m.schedule(m.now() + Math.max(1, Math.round(gap)), this.index, K_WAKE, 0);
  }

  protected override wake(m: SimMarket): void {
    const u = this.rng.next();
    const us = this.rng.next();
    const size = this.size(this.rng);
    if (u * this.bound <= this.intensity(m)) {
      this.excitation = this.excitationNow(m) + this.p.alpha;
      this.excitedAt = m.now();
      if (us >= this.p.sidePersistence) this.side ^= 1;
      m.sendMarket(this, this.side, size);
    }
    this.scheduleCandidate(m);
  }
}

/** A burst of market sells at a scheduled time (the flash crash's aggressive selling). */
class AggressiveSeller extends SimAgent {
  readonly kind = 'aggressiveSeller';
  private readonly size: Sampler;
  private endNs = 0;

  constructor(
    index: number,
    rng: Rng,
    latency: LatencyModel,
    private readonly e: Extract<Scenario['events'][number], { kind: 'aggressiveSelling' }>,
  ) {
    super(index, rng, latency);
    this.size = compileIntDistribution(e.size);
  }

  start(m: SimMarket): void {
    const at = m.openNs + Math.round(this.e.atSeconds * NS_PER_SECOND);
    this.endNs = at + Math.round(this.e.durationSeconds * NS_PER_SECOND);
    m.schedule(at, this.index, K_WAKE, 0);
  }

  protected override wake(m: SimMarket): void {
    const size = this.size(this.rng);
    const gap = exponentialDraw(this.rng, NS_PER_SECOND / this.e.rate);
    if (m.now() >= this.endNs) return;
    const sweep = this.e.maxSweepTicks;
    // The seller has no latency: its order acts on the book as it is now.
    if (sweep === undefined) m.sendMarket(this, SELL, size, false);
    else m.submitLimit(this.owner, m.newId(), SELL, m.bid() - sweep, size, 'IOC');
    m.schedule(m.now() + Math.max(1, Math.round(gap)), this.index, K_WAKE, 0);
  }
}

/** Builds a scenario's background agents, forking each one's random and latency streams in a fixed order. */
export function buildAgents(scenario: Scenario, master: Rng, latencyModel: (p: LatencyParams, rng: Rng) => LatencyModel): SimAgent[] {
  const agents: SimAgent[] = [];
  const next = (): [number, Rng, (p: LatencyParams) => LatencyModel] => {
    const i = agents.length;
    const rng = master.fork(100 + i);
    const lat = master.fork(10_000 + i);
    return [i, rng, (p) => latencyModel(p, lat)];
  };
  {
    const [i, rng, lat] = next();
    agents.push(new ZeroIntelligence(i, rng, lat(scenario.zeroIntelligence.latency), scenario.zeroIntelligence));
  }
  for (let k = 0; k < scenario.marketMakers.count; k++) {
    const [i, rng, lat] = next();
    agents.push(new MarketMaker(i, rng, lat(scenario.marketMakers.latency), scenario.marketMakers));
  }
  for (let k = 0; k < scenario.informed.count; k++) {
    const [i, rng, lat] = next();
    agents.push(new Informed(i, rng, lat(scenario.informed.latency), scenario.informed));
  }
  for (let k = 0; k < scenario.momentum.count; k++) {
    const [i, rng, lat] = next();
    agents.push(new Trend(i, rng, lat(scenario.momentum.latency), scenario.momentum, 'momentum'));
  }
  for (let k = 0; k < scenario.meanReversion.count; k++) {
    const [i, rng, lat] = next();
    agents.push(new Trend(i, rng, lat(scenario.meanReversion.latency), scenario.meanReversion, 'meanReversion'));
  }
  {
    const [i, rng, lat] = next();
    agents.push(new HawkesTaker(i, rng, lat(scenario.hawkes.latency), scenario.hawkes));
  }
  for (const e of scenario.events) {
    if (e.kind !== 'aggressiveSelling') continue;
    const [i, rng, lat] = next();
    agents.push(new AggressiveSeller(i, rng, lat({ entryMs: 0, marketDataMs: 0, jitterMs: 0 }), e));
  }
  return agents;
}
