import { describe, expect, it } from 'vitest';
import { classBalance, directionLabels, DOWN, FLAT, NO_LABEL, persistencePredictions, UP } from './labels';
import { Rng } from '../core/rng';
import { accuracy, macroF1, pairedMacroF1Difference, scoreClassifier } from './metrics';

describe('direction labels', () => {
  it('compareTheMeanOfTheNextKMidsWithTheMidNow', () => {
    // Ticks of 1 price unit; mids 10, 10, 12, 12, 8, 8.
    const mids = [10, 10, 12, 12, 8, 8];
    const l = directionLabels(mids, { horizon: 2, thresholdTicks: 0.5 }, 1);
    // t=0: mean(10,12)=11 > 10.5 up; t=1: mean(12,12)=12 up; t=2: mean(12,8)=10 < 11.5 down; t=3: mean(8,8) down; last two unknown.
    expect([...l]).toEqual([UP, UP, DOWN, DOWN, NO_LABEL, NO_LABEL]);
    expect([...directionLabels(mids, { horizon: 2, thresholdTicks: 2 }, 1)]).toEqual([FLAT, FLAT, FLAT, DOWN, NO_LABEL, NO_LABEL]);
  });

  it('scaleTheThresholdByTheTick', () => {
    const mids = [1000, 1100, 1100];
    expect(directionLabels(mids, { horizon: 1, thresholdTicks: 0.5 }, 100)[0]).toBe(UP);
    expect(directionLabels(mids, { horizon: 1, thresholdTicks: 1 }, 100)[0]).toBe(FLAT);
  });

  it('refuseABadHorizonOrThreshold', () => {
    expect(() => directionLabels([1, 2], { horizon: 0, thresholdTicks: 1 }, 1)).toThrow(/horizon must be a positive integer/);
    expect(() => directionLabels([1, 2], { horizon: 1.5, thresholdTicks: 1 }, 1)).toThrow(/horizon/);
    expect(() => directionLabels([1, 2], { horizon: 1, thresholdTicks: -1 }, 1)).toThrow(/threshold must be a non-negative/);
  });

  it('predictByPersistenceTheLabelWhoseHorizonJustEnded', () => {
    const labels = Int8Array.from([UP, DOWN, FLAT, UP, NO_LABEL]);
    expect([...persistencePredictions(labels, 2)]).toEqual([NO_LABEL, NO_LABEL, UP, DOWN, FLAT]);
  });

  it('stateTheClassBalanceOfTheLabelledEvents', () => {
    const b = classBalance(Int8Array.from([UP, UP, DOWN, FLAT, NO_LABEL]));
    expect(b.n).toBe(4);
    expect(b.counts).toEqual({ down: 1, flat: 1, up: 2 });
    expect(b.shares.up).toBe(0.5);
  });
});

describe('classifier scores', () => {
  it('computeMacroF1AndAccuracyFromTheConfusion', () => {
    const perfect = [
      [3, 0, 0],
      [0, 2, 0],
      [0, 0, 5],
    ];
    expect(macroF1(perfect)).toBe(1);
    expect(accuracy(perfect)).toBe(1);
    // Always "flat" on balanced classes: F1 of flat = 2·1/(3+1) = 0.5, the others 0.
    const majority = [
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ];
    expect(macroF1(majority)).toBeCloseTo(0.5 / 3, 12);
  });

  it('giveABootstrapIntervalAroundTheMacroF1', () => {
    const truth: number[] = [];
    const good: number[] = [];
    const bad: number[] = [];
    const rng = new Rng(3);
    for (let i = 0; i < 6000; i++) {
      const y = Math.floor(i / 50) % 3;
      truth.push(y);
      good.push(rng.chance(0.1) ? (y + 1) % 3 : y);
      bad.push(i % 2 === 0 ? (y + 1) % 3 : y);
    }
    const s = scoreClassifier('good', truth, good, { block: 200, rounds: 200 });
    expect(s.n).toBe(6000);
    expect(s.accuracy).toBeGreaterThan(0.88);
    expect(s.accuracy).toBeLessThan(0.92);
    expect(s.macroF1Ci95[0]).toBeLessThan(s.macroF1);
    expect(s.macroF1Ci95[1]).toBeGreaterThan(s.macroF1);
    expect(s.macroF1Ci95[1] - s.macroF1Ci95[0]).toBeLessThan(0.05);
    expect(s.confusion.flat().reduce((a, b) => a + b, 0)).toBe(6000);
    const d = pairedMacroF1Difference(truth, good, bad, { block: 200, rounds: 200 });
    expect(d.diff).toBeGreaterThan(0.3);
    expect(d.ci95[0]).toBeGreaterThan(0);
    const same = pairedMacroF1Difference(truth, good, good, { block: 200, rounds: 50 });
    expect(same.ci95).toEqual([0, 0]);
  });

  it('skipEventsWithoutALabelOrAPrediction', () => {
    const s = scoreClassifier('x', [0, NO_LABEL, 2, 1], [0, 1, NO_LABEL, 1]);
    expect(s.n).toBe(2);
    expect(() => scoreClassifier('x', [NO_LABEL], [1])).toThrow(/no event has both/);
    expect(() => scoreClassifier('x', [1, 2], [1])).toThrow(/2 labels but 1 predictions/);
  });
});
