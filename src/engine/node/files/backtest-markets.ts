/**
 * The markets a backtest runs on, built from files: a simulator scenario (episodes keyed by seed),
 * or a recorded day (episodes keyed by start time): a LOBSTER day, a Databento DBN MBO file (the
 * MBO venue) or a Binance capture (the Binance venue); the last two take their slots from
 * `recordedSlots`. Each worker thread builds its market once
 * from a `MarketSpec` and rebuilds a venue per episode.
 *
 * LOBSTER seeds: seed k is the episode starting at `firstStart + k·stride`, where `firstStart` is
 * the first whole minute leaving the pre-trade window (30 min by default) after the whole minute of
 * the day's first message (10:00 on the 09:30 files) and `stride` is the horizon rounded up to whole minutes, so
 * episodes never overlap. Seeds run from 0 to the last slot that ends before the day's last
 * message; a seed outside is an error naming the valid range. A spec's `firstStartNs` moves seed 0
 * to that time of day (a backtest from 12:00, say); it must leave the pre-trade window after the
 * day's first message.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createOrderBook } from '../../book/order-book';
import type { LobsterDay } from '../../data/lobster';
import { LOBSTER_PRICE_UNIT, LOBSTER_UNITS_PER_TICK, levelsFromFileName } from '../../data/lobster';
import type { BacktestMarket } from '../../execution/backtest';
import { Rng } from '../../core/rng';
import type { EnvMarket } from '../../rl/env';
import type { VolumeProfile } from '../../execution/schedules';
import { scaleProfileToHorizon } from '../../execution/schedules';
import type { MinuteVolumes } from '../../execution/volume-profile';
import { averageProfile, leaveOneOutProfile, parseMinuteVolumes } from '../../execution/volume-profile';
import type { Scenario } from '../../sim/scenario';
import { createSimVenue } from '../../sim/sim-venue';
import { LobsterVenue } from '../../venue/lobster-venue';
import { BinanceVenue } from '../../venue/binance-venue';
import { createMboVenue } from '../../venue/mbo-venue';
import type { Venue } from '../../venue/types';
import { BTCUSDT, BTCUSDT_USDM } from '../../data/binance';
import type { BinanceInstrument, BinanceLocalTimeUnit } from '../../data/binance';
import { loadBinanceCapture } from './binance-files';
import { loadMboDay } from './databento-files';
import { loadLobsterDay } from './lobster-files';
import { loadScenario } from './sim-scenarios';
import { NS_PER_SECOND as SECOND } from '../../core/clock';
import type { SessionMarket } from '../../kernel/market';

const MINUTE = 60 * SECOND;

/** The file name of the shared per-minute volume profile. */
export const VOLUME_FILE_NAME = 'lobster_2012-06-21_per_minute_exec_volume.csv';

/** What a worker needs to build the market: plain data, sent to worker threads. */
export type MarketSpec =
  | {
      readonly kind: 'sim';
      /** A shipped scenario's name or a scenario file's path. */
      readonly scenario: string;
      /** Episode start in ns after midnight; defaults to the open plus the pre-trade window. */
      readonly startNs?: number;
      readonly preTradeNs: number;
      readonly horizonNs: number;
      /** The per-minute volume CSV (the real profile, used when the scenario has none). */
      readonly volumeFile: string;
      /**
       * Where AC's σ, η, γ come from: pilot seeds over the same window (the default; they see the
       * scenario's scheduled events) or each episode's own pre-trade window (no look-ahead, γ = 0).
       */
      readonly acCalibration?: 'pilot' | 'pre-trade';
    }
  | {
      readonly kind: 'lobster';
      readonly messages: string;
      readonly orderbook: string;
      readonly levels: number;
      readonly preTradeNs: number;
      readonly horizonNs: number;
      readonly volumeFile: string;
      /** Start of seed 0 in ns after midnight (later seeds follow every stride); defaults to the first whole minute after the pre-trade window. */
      readonly firstStartNs?: number;
    }
  | {
      /** A Databento DBN v1 MBO file (the MBO venue, true queue positions). */
      readonly kind: 'databento';
      readonly file: string;
      readonly preTradeNs: number;
      readonly horizonNs: number;
      readonly volumeFile: string;
      /** Start of seed 0 in ns after the UTC midnight of the file's start; see `recordedSlots`. */
      readonly firstStartNs?: number;
    }
  | {
      /** A Binance capture in hftbacktest's format (the Binance venue, estimated queue positions). */
      readonly kind: 'binance';
      readonly file: string;
      readonly market: BinanceMarketName;
      readonly preTradeNs: number;
      readonly horizonNs: number;
      readonly volumeFile: string;
      /** Start of seed 0 in ns after the UTC midnight of the first record's day; see `recordedSlots`. */
      readonly firstStartNs?: number;
    };

/** The Binance captures a market names: spot BTCUSDT (local times in ns) or the USD-M perpetual (local times in µs). */
export type BinanceMarketName = 'spot' | 'usdm';
export const BINANCE_MARKETS: Record<BinanceMarketName, { readonly instrument: BinanceInstrument; readonly localTimeUnit: BinanceLocalTimeUnit }> = {
  spot: { instrument: BTCUSDT, localTimeUnit: 'ns' },
  usdm: { instrument: BTCUSDT_USDM, localTimeUnit: 'us' },
};

/** The Binance market a capture's file name says (`usdm` in it: the USD-M perpetual), else spot. */
export function binanceMarketFor(file: string): BinanceMarketName {
  return /usdm/i.test(basename(file)) ? 'usdm' : 'spot';
}

/** A market built from files, with what the report says about it. */
export interface LoadedMarket extends BacktestMarket {
  /** One line for the report: where the VWAP profile came from. */
  readonly profileNote: string;
  /** Returns the episode start for a seed (ns after midnight), or throws naming the valid seeds. */
  startFor(seed: number): number;
}

/** Returns the shared per-minute volume file (`../shared/data/volume/…` beside the checkout), looking up from here and from the working directory. */
export function findVolumeFile(): string {
  const found = findSharedData(join('volume', VOLUME_FILE_NAME));
  if (found === null) throw new Error(`no shared/data/volume/${VOLUME_FILE_NAME} found above ${process.cwd()}; pass --volume FILE`);
  return found;
}

/** Returns the shared LOBSTER folder (`../shared/data/lobster` beside the checkout). */
export function findLobsterDir(): string {
  const found = findSharedData('lobster');
  if (found === null) throw new Error(`no shared/data/lobster folder found above ${process.cwd()}; pass --data`);
  return found;
}

/** Returns `shared/data/<rel>` in the first folder above this module or the working directory that has it, or null. */
function findSharedData(rel: string): string | null {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      const candidate = join(dir, 'shared', 'data', rel);
      if (existsSync(candidate)) return candidate;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return null;
}

/** Reads the per-minute volume file. */
export function readMinuteVolumes(file: string): Map<string, MinuteVolumes> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the volume profile ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseMinuteVolumes(text, basename(file));
}

/** Returns the orderbook file beside a LOBSTER message file (same name with `_orderbook_`), and its levels. */
export function lobsterPairFor(messages: string): { orderbook: string; levels: number } {
  const name = basename(messages);
  if (!name.includes('_message_')) throw new Error(`expected a LOBSTER message file named like TICKER_date_start_end_message_N.csv[.gz], received "${name}"`);
  const levels = levelsFromFileName(name);
  if (levels === undefined) throw new Error(`cannot read the level count from "${name}", expected a name ending in _message_<levels>.csv[.gz]`);
  if (!existsSync(messages)) throw new Error(`no such LOBSTER message file: ${messages}`);
  const orderbook = join(dirname(messages), name.replace('_message_', '_orderbook_'));
  if (!existsSync(orderbook)) throw new Error(`no orderbook file beside ${messages}: expected ${orderbook}`);
  return { orderbook, levels };
}

/** The shared LOBSTER message file of `ticker`'s day (in shared/data/lobster, beside the volume profile). */
export function lobsterMessageFileFor(ticker: string): string {
  const dir = findLobsterDir();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new Error(`cannot list the LOBSTER folder ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const file = names.find((f) => f.startsWith(`${ticker}_`) && /_message_\d+\.csv(\.gz)?$/.test(f));
  if (file === undefined) throw new Error(`no LOBSTER message file for ${ticker} in ${dir}`);
  return join(dir, file);
}

/** Builds the market a spec describes (reads its files). */
export async function loadMarket(spec: MarketSpec): Promise<LoadedMarket> {
  const volumes = readMinuteVolumes(spec.volumeFile);
  if (spec.kind === 'sim') return simMarket(loadScenario(spec.scenario), spec, volumes);
  if (spec.kind === 'databento') {
    if (!existsSync(spec.file)) throw new Error(`no such Databento file: ${spec.file}`);
    const day = await loadMboDay(spec.file, createOrderBook());
    const tick = day.report.tickUnits > 0 ? day.report.tickUnits : 1;
    return recordedMarket(`databento:${basename(spec.file)}`, day.firstNs, day.lastNs, tick, spec, (startNs) => createMboVenue(day.messages, { book: createOrderBook(), startNs }));
  }
  if (spec.kind === 'binance') {
    if (!existsSync(spec.file)) throw new Error(`no such Binance capture: ${spec.file}`);
    const { instrument, localTimeUnit } = BINANCE_MARKETS[spec.market];
    const capture = await loadBinanceCapture(spec.file, instrument, localTimeUnit);
    return recordedMarket(`binance:${basename(spec.file)}`, capture.syncNs, capture.lastNs, 1, spec, (startNs) => new BinanceVenue(capture, { book: createOrderBook(), startNs }));
  }
  const day = await loadLobsterDay({ messages: spec.messages, orderbook: spec.orderbook, levels: spec.levels });
  const ticker = basename(spec.messages).split('_')[0] ?? '';
  return lobsterMarket(day, ticker, spec, volumes);
}

/** A simulator scenario as a backtest market; see the module comment. */
export function simMarket(scenario: Scenario, spec: Extract<MarketSpec, { kind: 'sim' }>, volumes: ReadonlyMap<string, MinuteVolumes>): LoadedMarket {
  const openNs = Math.round(scenario.session.openSeconds * SECOND);
  const closeNs = openNs + Math.round(scenario.session.durationSeconds * SECOND);
  const startNs = spec.startNs ?? openNs + spec.preTradeNs;
  if (startNs - spec.preTradeNs < openNs) {
    throw new Error(`the episode start ${clock(startNs)} leaves no room for the ${spec.preTradeNs / MINUTE}-minute pre-trade window after the open ${clock(openNs)}`);
  }
  if (startNs + spec.horizonNs > closeNs) {
    throw new Error(`the episode ${clock(startNs)}–${clock(startNs + spec.horizonNs)} runs past the close of "${scenario.name}" at ${clock(closeNs)}`);
  }
  const intraday = scenario.intraday;
  const real = averageProfile(volumes);
  const profile = (start: number, horizon: number): VolumeProfile =>
    intraday ? { originNs: openNs, bucketNs: intraday.bucketSeconds * SECOND, weights: intraday.profile } : scaleProfileToHorizon(real.weights, start, horizon);
  return {
    tickSize: 1,
    venuePrintsAgentFills: true,
    counterfactual: true,
    acCalibration: spec.acCalibration ?? 'pilot',
    preTradeNs: spec.preTradeNs,
    profileNote: intraday
      ? `VWAP follows the scenario's intraday profile (${intraday.profile.length} buckets of ${intraday.bucketSeconds} s)`
      : `VWAP follows the real LOBSTER profile (mean of ${[...volumes.keys()].join(', ')}) scaled to the horizon`,
    startFor: () => startNs,
    open(seed: number) {
      const venue = createSimVenue(scenario, seed);
      const to = startNs - spec.preTradeNs;
      if (to > venue.now()) venue.elapse(to - venue.now());
      return { venue, startNs };
    },
    volumeProfile: profile,
  };
}

/** A LOBSTER day as a backtest market; seeds map to start times (see the module comment). */
export function lobsterMarket(day: LobsterDay, ticker: string, spec: Extract<MarketSpec, { kind: 'lobster' }>, volumes: ReadonlyMap<string, MinuteVolumes>): LoadedMarket {
  if (day.length === 0) throw new Error('the LOBSTER day has no rows');
  const first = day.timeAt(0);
  const last = day.timeAt(day.length - 1);
  const { firstStart, stride, slots } = lobsterSlots(first, last, spec.preTradeNs, spec.horizonNs, spec.firstStartNs);
  if (spec.firstStartNs !== undefined && spec.firstStartNs - spec.preTradeNs < firstMinute(first)) {
    throw new Error(`a start at ${clock(spec.firstStartNs)} leaves no room for the ${spec.preTradeNs / MINUTE}-minute pre-trade window after the LOBSTER day's first message at ${clock(first)}`);
  }
  if (slots === 0 && spec.firstStartNs !== undefined) throw new Error(`a ${spec.horizonNs / MINUTE}-minute episode from ${clock(spec.firstStartNs)} runs past the LOBSTER day's last message at ${clock(last)}`);
  if (slots === 0) throw new Error(`the LOBSTER day ${clock(first)}–${clock(last)} has no room for a ${spec.horizonNs / MINUTE}-minute episode after a ${spec.preTradeNs / MINUTE}-minute pre-trade window`);
  const { profile, lookAhead } = volumes.size > 0 ? leaveOneOutProfile(volumes, ticker) : { profile: undefined, lookAhead: false };
  const startFor = (seed: number): number => {
    if (!Number.isSafeInteger(seed) || seed < 0 || seed >= slots) {
      throw new Error(`on this LOBSTER day a ${spec.horizonNs / MINUTE}-minute episode has seeds 0..${slots - 1} (start ${clock(firstStart)} + seed × ${stride / MINUTE} min), received seed ${seed}`);
    }
    return firstStart + seed * stride;
  };
  return {
    tickSize: LOBSTER_UNITS_PER_TICK,
    venuePrintsAgentFills: false,
    counterfactual: false,
    acCalibration: 'pre-trade',
    preTradeNs: spec.preTradeNs,
    profileNote: profile
      ? lookAhead
        ? `VWAP follows ${ticker}'s own profile of the same day (look-ahead: no other ticker in the volume file)`
        : `VWAP follows the same day's mean profile of the other tickers (${[...volumes.keys()].filter((t) => t !== ticker).join(', ')}), never ${ticker}'s own volume`
      : 'VWAP falls back to TWAP (no profile)',
    startFor,
    open(seed: number) {
      const startNs = startFor(seed);
      const venue = new LobsterVenue(day, { book: createOrderBook(), startNs: startNs - spec.preTradeNs });
      return { venue, startNs };
    },
    volumeProfile: (start, horizon) => profile ?? { originNs: start, bucketNs: horizon, weights: [1] },
  };
}

/** Where recorded episodes start: whole 100 ms steps (the CME sample spans 2 s). */
const RECORDED_STEP_NS = 100_000_000;

/**
 * A recorded stream (a DBN MBO file, a Binance capture) spanning [first, last] ns on its clock:
 * seed k starts at `firstStart + k·stride`, `firstStart` being `firstStartNs` or the first 100 ms
 * step leaving the pre-trade window after `first` (for Binance the first time its book is in sync),
 * `stride` the horizon rounded up to 100 ms, so episodes never overlap; a seed must end its horizon
 * by the last record. Returns the slots, or throws naming what does not fit.
 */
export function recordedSlots(label: string, first: number, last: number, preTradeNs: number, horizonNs: number, firstStartNs?: number): { firstStart: number; stride: number; slots: number } {
  const firstStart = firstStartNs ?? Math.ceil((first + preTradeNs) / RECORDED_STEP_NS) * RECORDED_STEP_NS;
  if (firstStart - preTradeNs < first) throw new Error(`on ${label} a start at ${clock(firstStart)} leaves no room for the ${seconds(preTradeNs)} pre-trade window after ${clock(first)}, where its book is first known`);
  const stride = Math.ceil(horizonNs / RECORDED_STEP_NS) * RECORDED_STEP_NS;
  const slots = Math.max(0, Math.floor((last - firstStart - horizonNs) / stride) + 1);
  if (slots === 0) {
    throw new Error(`${label} spans ${clock(first)}–${clock(last)} (${seconds(last - first)}): no room for a ${seconds(horizonNs)} episode from ${clock(firstStart)} after a ${seconds(preTradeNs)} pre-trade window; shorten --horizon or --pre-trade`);
  }
  return { firstStart, stride, slots };
}

/** A recorded stream as a backtest market: seeds map to start times (`recordedSlots`), VWAP falls back to TWAP (no volume profile for it). */
function recordedMarket(label: string, first: number, last: number, tickSize: number, spec: { readonly preTradeNs: number; readonly horizonNs: number; readonly firstStartNs?: number }, openAt: (startNs: number) => Venue): LoadedMarket {
  const { firstStart, stride, slots } = recordedSlots(label, first, last, spec.preTradeNs, spec.horizonNs, spec.firstStartNs);
  const startFor = (seed: number): number => {
    if (!Number.isSafeInteger(seed) || seed < 0 || seed >= slots) {
      throw new Error(`on ${label} a ${seconds(spec.horizonNs)} episode has seeds 0..${slots - 1} (start ${clock(firstStart)} + seed × ${seconds(stride)}), received seed ${seed}`);
    }
    return firstStart + seed * stride;
  };
  return {
    tickSize,
    venuePrintsAgentFills: false,
    counterfactual: false,
    acCalibration: 'pre-trade',
    preTradeNs: spec.preTradeNs,
    profileNote: `VWAP falls back to TWAP (no volume profile for ${label})`,
    startFor,
    open(seed: number) {
      const startNs = startFor(seed);
      return { venue: openAt(startNs - spec.preTradeNs), startNs };
    },
    volumeProfile: (start, horizon) => ({ originNs: start, bucketNs: horizon, weights: [1] }),
  };
}

/** Writes ns as seconds the way messages name a span ("0.5 s", "60 s"). */
function seconds(ns: number): string {
  return `${Number((ns / SECOND).toFixed(3))} s`;
}

/** The prefix of a training market that replays a LOBSTER day (`lobster:MESSAGE_FILE`) instead of a simulator scenario. */
export const LOBSTER_PREFIX = 'lobster:';

/** Whether a training market name is a recorded day (`lobster:FILE`; trained on, never validated on: the day has no held-out seeds). */
export function isHistoricalMarket(name: string): boolean {
  return name.startsWith(LOBSTER_PREFIX);
}

/**
 * A LOBSTER day as a training market: any seed opens an episode at a whole second of the day,
 * drawn from the seed (uniform over every start that leaves the pre-trade window after the first
 * message's whole minute and ends the horizon before the last message), so consecutive training
 * seeds spread over the whole day. Backtests use `lobsterMarket`'s non-overlapping slots instead.
 */
export function lobsterTrainingMarket(day: LobsterDay, preTradeNs: number, horizonNs: number): EnvMarket & { readonly starts: number; startFor(seed: number): number } {
  if (day.length === 0) throw new Error('the LOBSTER day has no rows');
  const first = day.timeAt(0);
  const last = day.timeAt(day.length - 1);
  const firstStart = Math.ceil((firstMinute(first) + preTradeNs) / SECOND) * SECOND;
  const starts = Math.floor((last - horizonNs - firstStart) / SECOND) + 1;
  if (starts < 1) throw new Error(`the LOBSTER day ${clock(first)}–${clock(last)} has no room for a ${horizonNs / SECOND}-second episode after a ${preTradeNs / SECOND}-second pre-trade window`);
  const startFor = (seed: number): number => {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`a training seed is a non-negative integer, received ${seed}`);
    return firstStart + new Rng(seed).int(starts) * SECOND;
  };
  return {
    tickSize: 100,
    venuePrintsAgentFills: false,
    preTradeNs,
    starts,
    startFor,
    open(seed: number) {
      const startNs = startFor(seed);
      return { venue: new LobsterVenue(day, { book: createOrderBook(), startNs: startNs - preTradeNs }), startNs };
    },
  };
}

/** The whole minute of a day's first message (09:30:00 for 09:30:00.015): the earliest a pre-trade window may open. */
function firstMinute(first: number): number {
  return Math.floor(first / MINUTE) * MINUTE;
}

/** Returns the LOBSTER episode slots for a day spanning [first, last] ns: from `firstStartNs` when given (the caller checks its pre-trade room), else the first whole minute the pre-trade window allows. */
export function lobsterSlots(first: number, last: number, preTradeNs: number, horizonNs: number, firstStartNs?: number): { firstStart: number; stride: number; slots: number } {
  const firstStart = firstStartNs ?? Math.ceil((firstMinute(first) + preTradeNs) / MINUTE) * MINUTE;
  const stride = Math.ceil(horizonNs / MINUTE) * MINUTE;
  return { firstStart, stride, slots: Math.max(0, Math.floor((last - firstStart - horizonNs) / stride) + 1) };
}

/** Formats ns after midnight as HH:MM:SS. */
export function clock(ns: number): string {
  const s = Math.floor(ns / SECOND);
  const p = (n: number): string => String(n).padStart(2, '0');
  const ms = Math.floor((ns - s * SECOND) / 1e6);
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`}`;
}


/**
 * A recorded LOBSTER day as a live session's market: the historical venue from `startNs` (default
 * the first message), VWAP on the other tickers' profile of the same day when the volume file has
 * them (else flat over the day). The day is read whole, as a backtest reads it.
 */
export async function lobsterSessionMarket(messages: string, options: { readonly startNs?: number; readonly volumeFile?: string } = {}): Promise<SessionMarket> {
  const { orderbook, levels } = lobsterPairFor(messages);
  const day = await loadLobsterDay({ messages, orderbook, levels });
  if (day.length === 0) throw new Error(`the LOBSTER day ${basename(messages)} has no rows`);
  const first = day.timeAt(0);
  const last = day.timeAt(day.length - 1);
  const startNs = options.startNs ?? first;
  if (startNs < first || startNs >= last) throw new Error(`a session on ${basename(messages)} starts between its first message at ${clock(first)} and its last at ${clock(last)}, received ${clock(startNs)}`);
  const ticker = basename(messages).split('_')[0] ?? basename(messages);
  const openNs = firstMinute(first);
  const volumes = readMinuteVolumes(options.volumeFile ?? findVolumeFile());
  const profile = volumes.size > 0 ? leaveOneOutProfile(volumes, ticker).profile : { originNs: openNs, bucketNs: Math.max(MINUTE, last - openNs), weights: [1] };
  return {
    venue: new LobsterVenue(day, { book: createOrderBook(), startNs }),
    name: `lobster:${basename(messages)}`,
    symbol: ticker,
    priceUnit: LOBSTER_PRICE_UNIT,
    tickSize: LOBSTER_UNITS_PER_TICK,
    openNs,
    volumeProfile: profile,
    venuePrintsAgentFills: false,
  };
}
