import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingWindow } from './window';

/** The median of the finite values among the last `size` of `xs`, by sorting them. */
function directMedian(xs: readonly number[], size: number): number {
  const v = xs.slice(-size).filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

describe('RollingWindow', () => {
  it('answers the median of the last values kept, leaving out the non-finite ones', () => {
    const w = new RollingWindow(3);
    expect(w.median()).toBeNaN();
    w.push(5);
    w.push(NaN);
    expect(w.median()).toBe(5);
    w.push(1);
    expect(w.median()).toBe(3);
    w.push(9); // 5 leaves: NaN, 1, 9
    expect(w.median()).toBe(5);
    expect(w.oldest()).toBeNaN();
    w.push(2); // NaN leaves: 1, 9, 2
    expect(w.median()).toBe(2);
    expect(w.full).toBe(true);
  });

  it('matches sorting the window after every push, duplicates and infinities included', () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: false }), fc.constant(Infinity), fc.constant(NaN));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(value, { maxLength: 80 }), (size, xs) => {
        const w = new RollingWindow(size);
        xs.forEach((x, i) => {
          w.push(x);
          const want = directMedian(xs.slice(0, i + 1), size);
          const got = w.median();
          if (Number.isNaN(want)) expect(got).toBeNaN();
          else expect(got === want, `median ${got}, sorted ${want}`).toBe(true); // === : +0 and −0 are one median
          expect(w.length).toBe(Math.min(size, i + 1));
        });
      }),
    );
  });

  it('refuses a size that is not a whole number from 1 up', () => {
    expect(() => new RollingWindow(0)).toThrow(RangeError);
    expect(() => new RollingWindow(2.5)).toThrow(RangeError);
  });
});
