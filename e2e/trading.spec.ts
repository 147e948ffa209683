import { join } from 'node:path';
import { expect, ROOT, serveCockpit, test } from './fixtures';
import { CockpitPage } from './pages/cockpit-page';

// The trader trades from the window: an order ticket (focused from the keyboard), the gate's
// answer in a toast and in the blotter, a working order modified and cancelled from the blotter,
// an order the gate denies with its reason, and every action in the searchable audit trail.
// At 1x the agents start 15 simulated seconds in, so the first market order meets no resting order
// of the firm's own (which the venue's self-trade prevention would refuse, as it does later).
test('placesModifiesCancelsAndIsDeniedAManualOrderAndFindsEachInTheAuditTrail', async ({ page }) => {
  test.setTimeout(90_000);
  const { served, stop } = await serveCockpit(['--speed', '1']);
  try {
    await journey(new CockpitPage(page), served.url);
  } finally {
    await stop();
  }
});

async function journey(cockpit: CockpitPage, url: string): Promise<void> {
  const page = cockpit.page;
  await cockpit.open(url);
  await expect(cockpit.lastPrice).toHaveText(/^\d+\.\d{2}$/);
  await page.keyboard.press('Control+Shift+T');
  const ticket = page.getByTestId('ticket');
  await expect(page.getByTestId('ticket-qty')).toBeFocused();
  const blotter = page.getByTestId('blotter');
  const traderRows = blotter.locator('.ag-row').filter({ hasText: 'Trader (you)' });

  // A market buy: filled at once, through the gate.
  await page.keyboard.type('50');
  await page.getByTestId('ticket-type').selectOption('market');
  await page.getByTestId('ticket-send').click();
  await cockpit.confirmReason('e2e: buy some');
  await expect(page.getByTestId('toast').filter({ hasText: 'Order filled' })).toBeVisible();
  await expect(traderRows.filter({ hasText: '✓ filled' })).toHaveCount(1);

  // Field checks say what they refuse before anything is sent.
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('day');
  await page.getByTestId('ticket-price').fill('');
  await page.getByTestId('ticket-send').click();
  await expect(page.getByTestId('ticket-error')).toContainText('Price: a positive number');

  // A day limit well below the bid rests; it is modified, then cancelled, from the blotter.
  const bid = Number(await page.getByTestId('bid-price').textContent());
  await page.getByTestId('ticket-price').fill((bid - 0.5).toFixed(2));
  await page.getByTestId('ticket-send').click();
  await cockpit.confirmReason('e2e: rest a bid');
  await expect(traderRows.filter({ hasText: '● working' })).toHaveCount(1);
  await traderRows.filter({ hasText: '● working' }).getByRole('button', { name: 'Modify' }).click();
  await expect(ticket).toContainText('Modify trader/2');
  await page.getByTestId('ticket-price').fill((bid - 0.4).toFixed(2));
  await page.getByTestId('ticket-send').click();
  await cockpit.confirmReason('e2e: a little closer');
  await expect(traderRows.filter({ hasText: '○ cancelled' })).toHaveCount(1);
  const working = traderRows.filter({ hasText: '● working' });
  await expect(working).toContainText((bid - 0.4).toFixed(2));
  await page.screenshot({ path: join(ROOT, 'docs', 'ticket.png') });
  await working.getByRole('button', { name: 'Cancel' }).click();
  await cockpit.confirmReason('e2e: pull it');
  await expect(traderRows.filter({ hasText: '○ cancelled' })).toHaveCount(2);

  // An order the gate denies: the reason in a toast and on the blotter's row.
  await page.getByTestId('ticket-qty').fill('6000');
  await page.getByTestId('ticket-type').selectOption('market');
  await page.getByTestId('ticket-send').click();
  await cockpit.confirmReason('e2e: too big');
  await expect(page.getByTestId('toast').filter({ hasText: 'Order denied · ORDER_SIZE_EXCEEDS_MAX' })).toBeVisible();
  await expect(traderRows.filter({ hasText: '✕ denied' })).toContainText('risk ORDER_SIZE_EXCEEDS_MAX');

  // The audit trail has every one of them, with who, why and the result; the search finds one.
  await page.keyboard.press('Control+Shift+A');
  const audit = page.getByTestId('audit');
  await expect(audit.getByTestId('audit-row').filter({ hasText: 'PlaceOrder' })).toHaveCount(3);
  await expect(audit.getByTestId('audit-row').filter({ hasText: 'ModifyOrder' })).toContainText('e2e: a little closer');
  await page.getByTestId('audit-search').fill('pull it');
  await expect(audit.getByTestId('audit-row')).toHaveCount(1);
  await expect(audit.getByTestId('audit-row')).toContainText('CancelOrder');
  await expect(audit.getByTestId('audit-row')).toContainText('✓ done');
}

// A new agent on a new parent order, from the window: the form checks its fields, the agent
// appears, decides and trades through the gate; killed, it is retired off the grid; both actions
// are on the audit trail.
test('launchesAnAgentOnANewParentOrderKillsAndRetiresIt', async ({ cockpit, page }) => {
  test.setTimeout(120_000);
  await expect(cockpit.lastPrice).toHaveText(/^\d+\.\d{2}$/);
  await page.getByTestId('launch-open').click();
  await page.getByTestId('launch-qty').fill('1000');
  await page.getByTestId('launch-horizon').fill('5');
  await page.getByTestId('launch-interval').fill('400');
  await page.getByTestId('launch-send').click();
  await expect(page.getByTestId('launch-error')).toContainText('less than the horizon (300 s)');
  await page.getByTestId('launch-interval').fill('5');
  await page.getByTestId('launch-send').click();
  await cockpit.confirmReason('e2e: a new parent order');
  const grid = page.locator('.agents-grid').first();
  const row = grid.locator('.ag-row').filter({ hasText: 'TWAP buy 1,000' });
  await expect(row).toBeVisible();
  await expect(cockpit.decisionsFeed).toContainText('TWAP buy 1,000', { timeout: 30_000 });
  // At a glance: the TWAP seller's inventory goes short as it fills, with its P&L and its share of the limit.
  await expect(grid.locator('.ag-row[row-id="agent-2"] [col-id="position"]')).toHaveText(/^-[\d,]+$/, { timeout: 30_000 });
  await expect(grid.locator('.ag-row[row-id="agent-2"] [col-id="limitUse"]')).toHaveText(/^\d+(\.\d)?%$/);
  await expect(grid.locator('.ag-row[row-id="agent-2"] [col-id="pnl"]')).toHaveText(/^-?[\d,]+\.\d{2}$/);
  await page.screenshot({ path: join(ROOT, 'docs', 'launch.png') });
  // Its row, by its id (the four agents of the session are agent-1 to agent-4); the buttons are in the row's right-pinned part.
  const actions = grid.locator('.ag-row[row-id="agent-5"] .row-actions');
  // Its orders in the blotter: one at least before it is killed.
  await page.keyboard.press('Control+Shift+O');
  await page.getByTestId('blotter-agent').selectOption('agent-5');
  const states = page.getByTestId('blotter').locator('.ag-cell[col-id="state"]');
  await expect.poll(() => states.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.keyboard.press('Control+Shift+O');
  await actions.getByRole('button', { name: 'Kill' }).click();
  await cockpit.confirmReason('e2e: enough');
  // Killed, it sends nothing more: none of its orders works, and no new one comes while the clock runs on.
  await page.keyboard.press('Control+Shift+O');
  await expect(states.filter({ hasText: '● working' })).toHaveCount(0);
  const count = await states.count();
  const clock = await page.getByTestId('sim-clock').textContent();
  // A decision every five simulated seconds at 5x: three decisions' worth of wall time.
  await page.waitForTimeout(3_000);
  await expect(page.getByTestId('sim-clock')).not.toHaveText(clock ?? '');
  await expect(states).toHaveCount(count);
  await page.keyboard.press('Control+Shift+O');
  await actions.getByRole('button', { name: 'Retire' }).click();
  await cockpit.confirmReason('e2e: done with it');
  await expect(row).toHaveCount(0);
  await page.keyboard.press('Control+Shift+A');
  await expect(page.getByTestId('audit-row').filter({ hasText: 'LaunchAgent' })).toContainText('e2e: a new parent order');
  await expect(page.getByTestId('audit-row').filter({ hasText: 'RetireAgent' })).toContainText('✓ done');
});

// A running agent redirected from its card: the form refuses what is out of range; urgency and a
// participation cap take effect, shown beside the originals with who and why; a pause price the
// mid reaches pauses it; the override is on the audit trail.
test('overridesARunningAgentsParametersAndFindsTheOverrideInTheAuditTrail', async ({ cockpit, page }) => {
  const grid = page.locator('.agents-grid').first();
  // agent-2 is the session's TWAP seller.
  await expect(grid.locator('.ag-row[row-id="agent-2"] [col-id="position"]')).toHaveText(/^-[\d,]+$/, { timeout: 30_000 });
  await grid.locator('.ag-row[row-id="agent-2"] .row-actions').getByTestId('tune-agent-2').click();
  const card = page.getByTestId('agent-card');
  await expect(card).toContainText('TWAP');
  await page.getByTestId('override-urgency').fill('9');
  await page.getByTestId('override-send').click();
  await expect(page.getByTestId('override-error')).toContainText('Urgency: 0.25 to 4');
  await page.getByTestId('override-urgency').fill('2');
  await page.getByTestId('override-cap').fill('10');
  await page.getByTestId('override-send').click();
  await cockpit.confirmReason('e2e: hurry, within 10%');
  await expect(card.getByTestId('card-urgency')).toContainText('2×');
  await expect(card.getByTestId('card-urgency')).toContainText('1×');
  await expect(card.getByTestId('card-urgency')).toContainText('e2e: hurry, within 10%');
  await expect(card.getByTestId('card-participationCap')).toContainText('10%');
  await expect(grid.locator('.ag-row[row-id="agent-2"] [col-id="participation"]')).toHaveText(/^\d+(\.\d)?% \/ 10%$/);
  await expect(cockpit.decisionsFeed).toContainText('TWAP urgency 2', { timeout: 30_000 });
  await page.screenshot({ path: join(ROOT, 'docs', 'override.png') });

  // A seller's pause price above the mid is reached at once: the agent pauses itself, and the price is used up.
  const bid = Number(await page.getByTestId('bid-price').textContent());
  await page.getByTestId('override-pause').fill((bid + 1).toFixed(2));
  await page.getByTestId('override-send').click();
  await cockpit.confirmReason('e2e: stop if it gets there');
  await expect(grid.locator('.ag-row[row-id="agent-2"] [col-id="state"]')).toHaveText('paused', { timeout: 15_000 });
  await expect(card.getByTestId('card-pauseAtPrice')).toContainText('engine');

  await page.keyboard.press('Control+Shift+A');
  await expect(page.getByTestId('audit-row').filter({ hasText: 'OverrideAgent' }).first()).toBeVisible();
  await page.getByTestId('audit-search').fill('within 10%');
  await expect(page.getByTestId('audit-row')).toHaveCount(1);
  await expect(page.getByTestId('audit-row')).toContainText('OverrideAgent');
  await expect(page.getByTestId('audit-row')).toContainText('✓ done');
});
