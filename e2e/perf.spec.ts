import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, ROOT, serveCockpit, test } from './fixtures';
import { CockpitPage } from './pages/cockpit-page';

// The window under load, measured (not part of `npm test`: `npm run perf:window` runs it, and the
// README reports what it printed). Each test writes its figures to test-results/perf-*.json.

// Playwright's trace records a screencast of the page, which takes the CPU the page is measured on.
test.use({ trace: 'off' });

/** Wall seconds the frame rate is counted over. */
const MEASURE_S = 8;
/** Simulated seconds per wall second: the session streams at its fastest. */
const SPEED = process.env.PERF_SPEED ?? '1000';
/** The market: at ×1000 the busy scenario streams over 10,000 events a second (calm about 3,500). */
const SCENARIO = process.env.PERF_SCENARIO ?? 'busy';
const SERVE_ARGS = ['--speed', SPEED, '--scenario', SCENARIO];

function report(name: string, figures: object): void {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', `perf-${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`perf ${name}: ${JSON.stringify(figures)}`);
}

async function openLoaded(page: Page, url: string): Promise<CockpitPage> {
  const cockpit = new CockpitPage(page);
  await cockpit.open(url);
  await expect(cockpit.lastPrice).toHaveText(/^\d+\.\d{2}$/);
  // Warm up: the first seconds load the agents' workers.
  await page.waitForTimeout(3_000);
  return cockpit;
}

// With the engine streaming at least 10,000 events a second, the window keeps at least 50 frames
// a second, counted with requestAnimationFrame in the page.
test('keepsFiftyFramesASecondWhileTheEngineStreamsTenThousandEventsASecond', async ({ page }) => {
  test.setTimeout(120_000);
  const { served, stop } = await serveCockpit(SERVE_ARGS);
  try {
    await openLoaded(page, served.url);
    const seq = page.getByTestId('seq');
    const seqFrom = Number(await seq.textContent());
    // Counted in the page (given as a string, so it runs on the page's own globals).
    const frames = (await page.evaluate(`new Promise((resolve) => {
      let n = 0;
      let worst = 0;
      let last = performance.now();
      const start = last;
      const tick = (t) => {
        n += 1;
        worst = Math.max(worst, t - last);
        last = t;
        if (t - start < ${MEASURE_S * 1000}) requestAnimationFrame(tick);
        else resolve({ frames: n, ms: t - start, worstFrameMs: worst });
      };
      requestAnimationFrame(tick);
    })`)) as { frames: number; ms: number; worstFrameMs: number };
    const seqTo = Number(await seq.textContent());
    const fps = (frames.frames * 1000) / frames.ms;
    const eventsPerSecond = ((seqTo - seqFrom) * 1000) / frames.ms;
    report('frames', { scenario: SCENARIO, speed: Number(SPEED), measuredSeconds: Math.round(frames.ms) / 1000, eventsPerSecond: Math.round(eventsPerSecond), framesPerSecond: Math.round(fps * 10) / 10, worstFrameMs: Math.round(frames.worstFrameMs) });
    expect(eventsPerSecond).toBeGreaterThanOrEqual(10_000);
    expect(fps).toBeGreaterThanOrEqual(50);
  } finally {
    await stop();
  }
});

/** Minutes of the heap check (10 by default). */
const HEAP_MINUTES = Number(process.env.PERF_MINUTES ?? '10');

// Over a long run at full stream the page's JS heap, after a garbage collection, grows by no more
// than 10% from its size one minute in.
test('keepsTheHeapWithinTenPercentOverALongRun', async ({ page }) => {
  test.setTimeout((HEAP_MINUTES + 3) * 60_000);
  const { served, stop } = await serveCockpit(SERVE_ARGS);
  try {
    await openLoaded(page, served.url);
    const cdp = await page.context().newCDPSession(page);
    const heap = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    await page.waitForTimeout(60_000);
    const from = await heap();
    const samples: Array<{ minute: number; mb: number }> = [{ minute: 1, mb: Math.round(from / 1e5) / 10 }];
    for (let m = 2; m <= HEAP_MINUTES; m++) {
      await page.waitForTimeout(60_000);
      samples.push({ minute: m, mb: Math.round((await heap()) / 1e5) / 10 });
    }
    const to = await heap();
    const growth = (to - from) / from;
    report('heap', { scenario: SCENARIO, speed: Number(SPEED), minutes: HEAP_MINUTES, fromMb: Math.round(from / 1e5) / 10, toMb: Math.round(to / 1e5) / 10, growthPercent: Math.round(growth * 1000) / 10, samples });
    expect(growth).toBeLessThanOrEqual(0.1);
  } finally {
    await stop();
  }
});
