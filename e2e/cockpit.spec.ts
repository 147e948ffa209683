import { test, expect, ROOT, serveCockpit } from './fixtures';
import { CockpitPage } from './pages/cockpit-page';
import { join } from 'node:path';
import { WebSocket } from 'ws';

test('pricesArriveOnTheLiveChart', async ({ cockpit }) => {
  await expect(cockpit.lastPrice).toHaveText(/^\d+\.\d{2}$/);
  await expect(cockpit.chart.locator('canvas').first()).toBeVisible();
  const before = await cockpit.chart.screenshot();
  const clockBefore = await cockpit.simClock.textContent();
  // The session runs at 5 simulated seconds per wall second with 1-second bars: new bars within 2 s.
  await expect.poll(async () => Buffer.compare(before, await cockpit.chart.screenshot()) !== 0, { timeout: 10_000 }).toBe(true);
  await expect(cockpit.simClock).not.toHaveText(clockBefore ?? '');
  await expect(cockpit.backend).toContainText(/wasm|cpu|tensorflow/);
  await expect(cockpit.scenario).not.toHaveText('—');
  // The depth ladder shows ten bid levels, each with a price.
  await expect(cockpit.depthBids).toHaveCount(10);
  await expect.poll(async () => (await cockpit.depthBidPrices().allTextContents()).filter((t) => /^\d+\.\d{2}$/.test(t)).length, { timeout: 10_000 }).toBe(10);
});

test('theWindowCarriesTheAppIconAndTheGridItsTooltips', async ({ cockpit, page }) => {
  await expect(cockpit.lastPrice).toHaveText(/^\d+\.\d{2}$/);
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  const icon = await page.request.get(new URL(href ?? '', page.url()).href);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
  expect(await icon.text()).toContain('<title>Trader Cockpit</title>');
  // The agents grid registers only the modules it uses: its last-reason cells still show their text as a tooltip.
  const reason = page.locator('.ag-cell[col-id="lastReason"]').filter({ hasNotText: '—' }).first();
  await expect(reason).toBeVisible({ timeout: 20_000 });
  await reason.hover();
  await expect(page.locator('.ag-tooltip')).toHaveText((await reason.textContent()) ?? '', { timeout: 5_000 });
});

test('runsABacktestFromTheEvaluationView', async ({ cockpit, page }) => {
  await cockpit.runBacktest({ scenario: 'calm', seedFrom: 1, seedTo: 2, strategies: ['twap', 'vwap', 'fixed:on-schedule+2'], quantity: 2_000, horizonMinutes: 5 });
  // The policy field suggests the policy this session runs, as a backtest names it.
  await expect(page.getByTestId('eval-learned')).toHaveAttribute('placeholder', /^rl:resources\/models\/[\w.-]+, fixed:on-schedule\+2$/);
  await expect(cockpit.evalRun).toBeDisabled();
  for (const name of ['twap', 'vwap', 'fixed:on-schedule+2']) {
    const row = cockpit.evalRow(name);
    await expect(row).toBeVisible({ timeout: 60_000 });
    await expect(row.locator('td').first()).toHaveText('2');
    await expect(row.locator('td[data-col="shortfall"]')).toHaveText(/^[+-]?\d+\.\d/);
  }
  await expect(cockpit.evalRun).toBeEnabled();
  // Switching views keeps the result.
  await cockpit.liveTab.click();
  await cockpit.evaluationTab.click();
  await expect(cockpit.evalRow('twap')).toBeVisible();
  // The running policy's model card stays one click away, and the result comes back.
  await page.getByTestId('policy-card-tab').click();
  await expect(page.getByTestId('policy-card')).toBeVisible();
  await expect(cockpit.evalRow('twap')).toBeHidden();
  await page.getByRole('group', { name: 'Model card and recent backtests' }).getByRole('button', { name: /^calm · seeds 1–2/ }).click();
  await expect(cockpit.evalRow('twap')).toBeVisible();
});

test('showsABacktestsProgressAndCancelsIt', async ({ cockpit, page }) => {
  await cockpit.runBacktest({ scenario: 'calm', seedFrom: 1, seedTo: 150, strategies: ['twap', 'vwap', 'pov'], quantity: 20_000, horizonMinutes: 30 });
  // The engine's progress events drive the bar: some episodes done, not all.
  const progress = page.getByTestId('eval-progress');
  await expect(progress).toBeVisible({ timeout: 30_000 });
  await expect(progress).toHaveAttribute('max', '450');
  await expect(page.locator('.eval-status')).toContainText(/\d+\/450 episodes/);
  await page.getByTestId('eval-cancel').click();
  await expect(page.getByText('Backtest cancelled', { exact: true })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('eval-cancel')).toBeHidden();
  await expect(cockpit.evalRun).toBeEnabled();
  await expect(cockpit.evalRow('twap')).toBeHidden();
  // The activity log says how it ended.
  await cockpit.liveTab.click();
  await expect(page.getByText(/Backtest backtest-\w+-\d+ cancelled/).first()).toBeVisible();
});

test('showsTheRunningPolicysModelCard', async ({ cockpit, page }) => {
  await cockpit.evaluationTab.click();
  const card = page.getByTestId('policy-card');
  await expect(card).toBeVisible();
  await expect(card.locator('h3')).toContainText(/ppo-exec-v\d+/);
  await expect(card).toContainText(/Trained on calm, volatile, thin/);
  // Its held-out tables as measured, each with the policy's row and a verdict.
  const tables = page.getByTestId('policy-card-table');
  await expect.poll(() => tables.count()).toBeGreaterThanOrEqual(4);
  await expect(tables.first().locator('tbody th').last()).toHaveText(/^rl \(/);
  // A verdict is marked a win (green) exactly when the card's evaluation won on every criterion.
  const verdicts = page.getByTestId('policy-card-verdict');
  for (let i = 0; i < (await verdicts.count()); i++) {
    const v = verdicts.nth(i);
    const text = (await v.textContent()) ?? '';
    expect(text).toMatch(/^(WINS|does not win)/);
    if (text.startsWith('WINS')) await expect(v).toHaveClass(/\bwins\b/);
    else await expect(v).not.toHaveClass(/\bwins\b/);
  }
});

test('backtestsTheRunningPolicyOnTheOrderItWasTrainedFor', async ({ cockpit, page }) => {
  await cockpit.evaluationTab.click();
  await page.getByTestId('eval-policy-order').click();
  // The running policy beside TWAP, VWAP and AC, on its own order: 2,000 lots sold over 10 minutes, a decision every 30 s.
  await expect(page.getByTestId('eval-learned')).toHaveValue(/^rl:resources\/models\/[\w.-]+$/);
  await expect(page.getByTestId('eval-side')).toHaveValue('sell');
  await expect(page.getByTestId('eval-horizon')).toHaveValue('10');
  await expect(page.getByTestId('eval-interval')).toHaveValue('30');
  await page.getByTestId('eval-seed-from').fill('1');
  await page.getByTestId('eval-seed-to').fill('2');
  await cockpit.evalRun.click();
  const rl = cockpit.evalTable.locator('tbody tr[data-strategy^="rl"]');
  await expect(rl).toBeVisible({ timeout: 90_000 });
  await expect(rl.locator('td').first()).toHaveText('2');
  await expect(rl.locator('td[data-col="shortfall"]')).toHaveText(/^[+-]?\d+\.\d/);
  await expect(cockpit.evalRow('twap')).toBeVisible();
});

test('runsABacktestOnTheHistoricalGoogVenueFromATimeOfDay', async ({ cockpit, page }) => {
  await cockpit.runBacktest({ scenario: 'lobster:GOOG', seedFrom: 0, seedTo: 1, strategies: ['twap', 'pov'], quantity: 500, horizonMinutes: 10, startTime: '14:00' });
  await expect(page.getByTestId('eval-attribution')).toContainText('LOBSTER');
  for (const name of ['twap', 'pov']) {
    const row = cockpit.evalRow(name);
    await expect(row).toBeVisible({ timeout: 90_000 });
    await expect(row.locator('td').first()).toHaveText('2');
    await expect(row.locator('td[data-col="shortfall"]')).toHaveText(/^[+-]?\d+\.\d/);
  }
  // Two ten-minute slots from the chosen time.
  await expect(page.getByTestId('eval-starts')).toHaveText('starts 14:00:00–14:10:00');
});

test('tightensTheRiskLimitsWithAReason', async ({ cockpit, page }) => {
  await cockpit.openRiskView();
  await cockpit.editLimits({ 'perAgent.maxOrderLots': '1' });
  await page.getByTestId('limits-apply').click();
  await cockpit.confirmReason('e2e: one-lot orders only');
  await expect(page.getByTestId('limit-max-order')).toHaveText('1 lots');
  await expect(cockpit.activity.getByText('e2e: one-lot orders only').first()).toBeVisible();
  await expect(cockpit.limitsHistory.getByTestId('limits-history-row').first()).toContainText('max order 5,000 → 1 lots');
  // The agents size their orders to the limits (execution/session.ts asks the gate what fits), so a
  // smaller max order makes smaller orders, not denials; risk.spec.ts has the denial journey.
  await expect(cockpit.engineState).toHaveText('running');
});

test('killAllHaltsTheEngineAndTheWindowShowsIt', async ({ cockpit, served, page }) => {
  await expect(cockpit.killSwitchState).not.toContainText('HALTED');
  await cockpit.killEverything('e2e: kill all from the window');
  await expect(cockpit.engineState).toHaveText('halted');
  await expect(cockpit.killSwitchState).toContainText('HALTED');
  await expect(page.getByText('e2e: kill all from the window').first()).toBeVisible();

  // A second window on the same engine sees the halted state from its snapshot.
  const other = await page.context().newPage();
  await other.goto(served.url);
  await expect(other.getByTestId('engine-state')).toHaveText('halted');
  await other.close();
});

test('takesTheScreenshotForTheReadme', async ({ cockpit, page }) => {
  await expect(cockpit.lastPrice).toHaveText(/^\d+\.\d{2}$/);
  // Every default agent has started (the last one 35 simulated seconds in) and decided.
  await expect(page.getByTestId('decisions-feed')).toContainText('POV', { timeout: 30_000 });
  // The learned policy starts after its one-minute warm-up; open its latest decision's explanation.
  const feed = page.getByTestId('decisions-feed');
  await expect(feed).toContainText('PPO', { timeout: 30_000 });
  await feed.getByText('PPO').first().click();
  // The open decision shows what the policy did and why: the action's probabilities and the features that weighed most.
  await expect(feed.getByText(/feature attributions/).first()).toBeVisible();
  await expect(feed).toContainText(/◆ (crossed the spread for \d+|rested \d+ at the touch|kept its resting order|cancelled \d+ resting|waited)/);
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: join(ROOT, 'docs', 'cockpit.png') });
});

test('refusesClientsWithoutTheToken', async ({ served, request }) => {
  const page = await request.get(`${served.origin}/`);
  expect(page.status()).toBe(403);
  const asset = await request.get(`${served.origin}/index.html?token=not-the-token`);
  expect(asset.status()).toBe(403);

  const refused = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/ws`, { headers: { origin: served.origin } });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => resolve(101));
    ws.once('error', () => resolve(-1));
  });
  expect(refused).toBe(403);
});

test('runsTheLiveSessionOnARecordedGoogDay', async ({ page }) => {
  const goog = join(ROOT, '..', 'shared', 'data', 'lobster', 'GOOG_2012-06-21_34200000_57600000_message_10.csv.gz');
  const { served, stop } = await serveCockpit(['--venue', `lobster:${goog}`, '--start', '11:00', '--speed', '20']);
  try {
    const cockpit = new CockpitPage(page);
    await cockpit.open(served.url);
    await expect(cockpit.scenario).toHaveText('lobster:GOOG_2012-06-21_34200000_57600000_message_10.csv.gz');
    await expect(cockpit.simClock).toHaveText(/^11:0\d:\d{2}/);
    // GOOG traded around $575 that day; LOBSTER prices are in units of $0.0001.
    await expect(cockpit.lastPrice).toHaveText(/^5\d\d\.\d{4}$/, { timeout: 20_000 });
    await expect(cockpit.depthBids.first()).toBeVisible();
    // The agents decide on the recorded book and say why.
    await expect(cockpit.decisionsFeed.getByText(/TWAP|VWAP|POV/).first()).toBeVisible({ timeout: 30_000 });
  } finally {
    await stop();
  }
});

// Focus moves between the panels from the keyboard: F6 forward, Shift+F6 back, wrapping around.
test('movesFocusBetweenThePanelsWithF6', async ({ cockpit, page }) => {
  await expect(cockpit.lastPrice).toHaveText(/^\d+\.\d{2}$/);
  const focusedPanel = (): Promise<string | null> => page.locator('section.panel:focus > header h2').textContent({ timeout: 2_000 });
  await page.keyboard.press('F6');
  expect(await focusedPanel()).toBe('Market');
  await page.keyboard.press('F6');
  const second = await focusedPanel();
  expect(second).not.toBe('Market');
  await page.keyboard.press('Shift+F6');
  expect(await focusedPanel()).toBe('Market');
  await page.keyboard.press('Shift+F6');
  const last = await focusedPanel();
  expect(last).not.toBeNull();
  expect(last).not.toBe('Market');
});
