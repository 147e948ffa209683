import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { fitEwma, fitGarch11, garchLogLikelihood, nelderMead } from './fit';

/** A GARCH(1,1) path from its unconditional variance, Gaussian shocks. */
function simulateGarch(n: number, omega: number, alpha: number, beta: number, seed: number): number[] {
  const rng = new Rng(seed);
  let v = omega / (1 - alpha - beta);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = Math.sqrt(v) * rng.normal();
    out.push(r);
    v = omega + alpha * r * r + beta * v;
  }
  return out;
}

describe('nelder–mead', () => {
  it('findsTheMinimumOfRosenbrock', () => {
    const r = nelderMead(([x = 0, y = 0]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-1.2, 1], { tolerance: 1e-14, maxIterations: 5000 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });
});

describe('garch(1,1) maximum likelihood', () => {
  it('recoversOmegaAlphaBetaFromASimulatedSeries', () => {
    const returns = simulateGarch(20_000, 0.05, 0.08, 0.9, 7);
    const fit = fitGarch11(returns);
    expect(fit.alpha).toBeGreaterThan(0.06);
    expect(fit.alpha).toBeLessThan(0.1);
    expect(fit.beta).toBeGreaterThan(0.87);
    expect(fit.beta).toBeLessThan(0.93);
    expect(fit.omega).toBeGreaterThan(0.025);
    expect(fit.omega).toBeLessThan(0.1);
    expect(fit.unconditionalSigmaBps).toBeGreaterThan(Math.sqrt(2.5) * 0.9);
    expect(fit.unconditionalSigmaBps).toBeLessThan(Math.sqrt(2.5) * 1.1);
    expect(fit.n).toBe(20_000 - 60);
    // The optimum beats the truth and a nearby point in likelihood.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(garchLogLikelihood(returns, { omega: 0.05, alpha: 0.08, beta: 0.9 }).logLikelihood);
    expect(fit.logLikelihood).toBeGreaterThan(garchLogLikelihood(returns, { omega: fit.omega, alpha: fit.alpha + 0.01, beta: fit.beta - 0.01 }).logLikelihood);
  });

  it('findsNoPersistenceInIidNoise', () => {
    const rng = new Rng(3);
    const returns = Array.from({ length: 5_000 }, () => 2 * rng.normal());
    const fit = fitGarch11(returns);
    expect(fit.alpha).toBeLessThan(0.03);
    expect(fit.unconditionalSigmaBps).toBeCloseTo(2, 1);
  });

  it('sharesParametersAcrossSeriesEachWithItsOwnWarmUp', () => {
    const a = simulateGarch(3_000, 0.05, 0.08, 0.9, 1);
    const b = simulateGarch(3_000, 0.05, 0.08, 0.9, 2);
    const p = { omega: 0.05, alpha: 0.08, beta: 0.9 };
    const pooled = garchLogLikelihood([a, b], p);
    expect(pooled.n).toBe(2 * (3_000 - 60));
    expect(pooled.logLikelihood).toBeCloseTo(garchLogLikelihood(a, p).logLikelihood + garchLogLikelihood(b, p).logLikelihood, 6);
  });
});

describe('ewma λ by maximum likelihood', () => {
  it('prefersAShortMemoryOnFastGarchAndALongOneOnIidNoise', () => {
    const fast = fitEwma(simulateGarch(20_000, 0.5, 0.3, 0.5, 11));
    expect(fast.lambda).toBeGreaterThan(0.8);
    expect(fast.lambda).toBeLessThan(0.95);
    expect(fast.atBound).toBeNull();
    const rng = new Rng(5);
    const noise = Array.from({ length: 20_000 }, () => rng.normal());
    expect(fitEwma(noise).lambda).toBeGreaterThan(0.99);
    // Held to [0.80, 0.90], iid noise wants more memory than the range allows.
    const held = fitEwma(noise, [0.8, 0.9]);
    expect(held.atBound).toBe('upper');
    expect(held.lambda).toBeCloseTo(0.9, 12);
  });
});
