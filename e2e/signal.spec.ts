import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, ROOT, serveCockpit, test } from './fixtures';
import { CockpitPage } from './pages/cockpit-page';

// The market signal in the window: the strip above the chart gives the direction model's three
// probabilities (whole percents that add up to 100, give or take the rounding) and the regime;
// its readings move as the simulated clock runs (SignalUpdated once a simulated second); and the
// card of the learned agent, on a policy trained with the signal (ppo-exec-v6s), shows the reading
// as it reaches the agent and, once it has decided, the signal's share of that decision.
test('showsTheMarketSignalItsRegimeAndItsShareOfTheLearnedAgentsDecision', async ({ page }) => {
  test.setTimeout(120_000);
  const { served, stop } = await serveCockpit(['--policy', join(ROOT, 'resources', 'models', 'ppo-exec-v6s'), '--speed', '10']);
  try {
    await journey(new CockpitPage(page), served.url);
  } finally {
    await stop();
  }
});

/** The whole percent a probability cell shows ("↓ down 34%" → 34), or NaN when it shows none. */
async function percentOf(cell: Locator): Promise<number> {
  const m = /(\d+)%\s*$/.exec((await cell.textContent()) ?? '');
  return m === null ? Number.NaN : Number(m[1]);
}

async function journey(cockpit: CockpitPage, url: string): Promise<void> {
  const page = cockpit.page;
  await cockpit.open(url);
  const strip = page.getByTestId('signal-strip');
  const down = strip.getByTestId('signal-down');
  const flat = strip.getByTestId('signal-flat');
  const up = strip.getByTestId('signal-up');
  const direction = strip.getByTestId('signal-direction');
  const regime = strip.getByTestId('signal-regime');

  // Three probabilities, each a whole percent; rounded one by one, they add up to 100 within 1.5.
  await expect(down).toHaveText(/^↓ down \d{1,3}%$/, { timeout: 30_000 });
  await expect(flat).toHaveText(/^→ flat \d{1,3}%$/);
  await expect(up).toHaveText(/^↑ up \d{1,3}%$/);
  await expect
    .poll(async () => {
      const ps = await Promise.all([down, flat, up].map(percentOf));
      return ps.every((p) => p >= 0 && p <= 100) ? Math.abs(ps.reduce((a, b) => a + b, 0) - 100) : Number.NaN;
    })
    .toBeLessThanOrEqual(1);
  await expect(direction).toHaveText(/^(up|down|flat) [+−]\d\.\d\d$/);

  // The regime of the last complete simulated minute, by name, once the first minute has closed.
  await expect(regime).toHaveText(/^regime (volatile|calm|tight|one-sided) \(stress [+−]\d\.\d\d\) since \d\d:\d\d:\d\d/, { timeout: 45_000 });

  // The readings move with the simulated clock: the direction and the three percents are not those of a moment ago.
  const reading = async (): Promise<string> => (await Promise.all([down, flat, up, direction].map((l) => l.textContent()))).join(' | ');
  const before = await reading();
  const clockBefore = (await cockpit.simClock.textContent()) ?? '';
  await expect(cockpit.simClock).not.toHaveText(clockBefore, { timeout: 20_000 });
  await expect.poll(reading, { timeout: 30_000 }).not.toBe(before);

  // The learned agent (agent-1, the session's PPO seller) on ppo-exec-v6s decides on the signal.
  const grid = page.locator('.agents-grid').first();
  await grid.locator('.ag-row[row-id="agent-1"] .row-actions').getByTestId('tune-agent-1').click();
  const card = page.getByTestId('agent-card');
  await expect(card).toContainText('PPO sell 2,000');
  const line = card.getByTestId('agent-signal');
  const now = /^Market signal ↓ \d{1,3}% · → \d{1,3}% · ↑ \d{1,3}% \((up|down|flat) [+−]\d\.\d\d\), regime (volatile|calm|tight|one-sided) \(stress [+−]\d\.\d\d\) · /;
  await expect(line).toHaveText(now);
  // After its first decision (60 simulated seconds in), the signal slots' share of the decision's attributions.
  await expect(line).toContainText(/ · in its last decision: direction [+−]\d{1,3}%, regime [+−]\d{1,3}% of the attributions$/, { timeout: 45_000 });
  await expect(line).not.toContainText('does not decide on it');
  // The card scrolls within the lower region: its signal line in view for the screenshot.
  await line.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ROOT, 'docs', 'signal.png') });
}
