import { describe, expect, it } from 'vitest';
import { backtest, backtestOptionsFromRequest, windowResult, type BacktestOptions } from './backtest';
import { runBacktestInThread } from './in-thread';
import { WorkflowCancelled, type WorkflowProgress } from './workflow';

const S = 1_000_000_000;
const small: BacktestOptions = { market: { kind: 'sim', scenario: 'calm' }, seeds: [1, 2], strategies: ['twap', 'pov'], side: 'buy', quantity: 300, horizonNs: 60 * S, intervalNs: 10 * S, preTradeNs: 60 * S };

/** The report without the figures that depend on the machine. */
function figures(r: Awaited<ReturnType<typeof backtest>>): object {
  const { wallSeconds: _wall, workers: _workers, ...rest } = r;
  return rest;
}

describe('the backtest workflow', () => {
  it('givesTheSameReportInThisThreadOnWorkersAndInItsOwnThread', async () => {
    const progress: WorkflowProgress[] = [];
    const inline = await backtest({ ...small, workers: 0 }, { onProgress: (p) => progress.push(p) });
    expect(inline.workers).toBe(0);
    expect(inline.strategies.map((s) => [s.name, s.episodes])).toEqual([
      ['twap', 2],
      ['pov', 2],
    ]);
    expect(progress.at(-1)).toEqual({ done: 4, total: 4 });
    const pooled = await backtest({ ...small, workers: 2 });
    expect(figures(pooled)).toEqual(figures(inline));
    const threaded = await runBacktestInThread({ ...small, workers: 1 });
    expect(figures(threaded)).toEqual(figures(inline));
  }, 60_000);

  it('countsThePoliciesEpisodesInItsProgress', async () => {
    const progress: WorkflowProgress[] = [];
    const r = await backtest({ ...small, strategies: ['twap', 'fixed:ahead+1'], workers: 0 }, { onProgress: (p) => progress.push(p) });
    expect(r.strategies.map((s) => s.name)).toEqual(['twap', 'fixed:ahead+1']);
    expect(progress.map((p) => p.total)).toEqual([4, 4, 4, 4]);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
  });

  it('stopsWhenCancelledAndRejectsWithTheReason', async () => {
    const controller = new AbortController();
    const many: BacktestOptions = { ...small, seeds: Array.from({ length: 40 }, (_, i) => i + 1), horizonNs: 20 * 60 * S, strategies: ['twap', 'vwap', 'pov'] };
    let seen = 0;
    const run = runBacktestInThread(many, {
      signal: controller.signal,
      onProgress: (p) => {
        seen = p.done;
        if (p.done === 1) controller.abort('the trader cancelled it');
      },
    });
    await expect(run).rejects.toThrow(new WorkflowCancelled('the trader cancelled it'));
    expect(seen).toBeLessThan(40 * 3);
    // Cancelled before it starts: it never does.
    await expect(backtest(small, { signal: controller.signal })).rejects.toBeInstanceOf(WorkflowCancelled);
    // In this thread it stops between episodes.
    const inline = new AbortController();
    await expect(backtest({ ...many, workers: 0 }, { signal: inline.signal, onProgress: () => inline.abort('enough') })).rejects.toThrow(new WorkflowCancelled('enough'));
  }, 60_000);

  it('refusesBadOptionsWithASentence', async () => {
    await expect(backtest({ ...small, strategies: ['twap,vwap'] })).rejects.toThrow('one strategy per entry, received "twap,vwap"');
    await expect(backtest({ ...small, strategies: ['twop'] })).rejects.toThrow('unknown strategy "twop"');
    await expect(backtest({ ...small, intervalNs: 60 * S })).rejects.toThrow('--interval must be shorter than --horizon');
    await expect(backtest({ ...small, market: { kind: 'lobster', messages: '/nowhere/GOOG_2012-06-21_34200000_57600000_message_10.csv' } })).rejects.toThrow('no such LOBSTER message file');
    await expect(backtest({ ...small, market: { kind: 'lobster', messages: '/nowhere/x.csv' }, acCalibration: 'pilot' })).rejects.toThrow('--ac-calibration pilot needs the simulator');
  });
});

describe('the window and the workflow', () => {
  it('mapsARunBacktestRequestToTheWorkflowsOptions', () => {
    const o = backtestOptionsFromRequest({ scenario: 'lobster:GOOG', seedFrom: 0, seedTo: 2, strategies: ['twap', 'fixed:ahead+1'], side: 'sell', quantity: 500, horizonSeconds: 600, intervalSeconds: 10, startTime: '14:05' });
    expect(o.market.kind).toBe('lobster');
    expect(o.market.kind === 'lobster' && o.market.messages).toMatch(/shared\/data\/lobster\/GOOG_.*_message_\d+\.csv(\.gz)?$/);
    expect(o).toMatchObject({ seeds: [0, 1, 2], strategies: ['twap', 'fixed:ahead+1'], side: 'sell', quantity: 500, horizonNs: 600 * S, intervalNs: 10 * S, startNs: (14 * 3600 + 5 * 60) * S });
    const sim = backtestOptionsFromRequest({ scenario: 'volatile', seedFrom: 3, seedTo: 3, strategies: ['ac'], side: 'buy', quantity: 9, horizonSeconds: 60 });
    expect(sim).toEqual({ market: { kind: 'sim', scenario: 'volatile' }, seeds: [3], strategies: ['ac'], side: 'buy', quantity: 9, horizonNs: 60 * S });
  });

  it('showsTheReportsFiguresInTheWindowsShape', async () => {
    const report = await backtest({ ...small, workers: 0 });
    const shown = windowResult(report);
    expect(shown).toMatchObject({ scenario: 'calm', seeds: [1, 2], side: 'buy', quantity: 300, horizonSeconds: 60, starts: [report.episodeStarts[0]?.start, report.episodeStarts[1]?.start] });
    expect(shown.strategies.map((s) => s.shortfallBps)).toEqual(report.strategies.map((s) => s.shortfallBps));
    expect(shown.strategies[0]).not.toHaveProperty('kappaT');
  });
});
