import { join } from 'node:path';
import { expect, ROOT, test } from './fixtures';

// The blotter shows every order of the session with its state and the risk gate's outcome; it
// filters by agent and to the denials, each of which says why.
test('listsTheAgentsOrdersFiltersByAgentAndShowsEachDenialsReason', async ({ cockpit, page }) => {
  await expect(cockpit.engineState).toHaveText('running');
  await expect(cockpit.decisionsFeed).toContainText('POV', { timeout: 30_000 });
  await page.keyboard.press('Control+Shift+O');
  const blotter = page.getByTestId('blotter');
  await expect(blotter).toBeVisible();
  const rows = blotter.locator('.ag-row');
  await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(2);
  await expect(blotter.locator('.ag-cell[col-id="outcome"]').filter({ hasText: 'passed' }).first()).toBeVisible();

  // One agent's orders only.
  const twap = await page.getByTestId('blotter-agent').locator('option', { hasText: 'TWAP' }).getAttribute('value');
  await page.getByTestId('blotter-agent').selectOption(twap!);
  await expect.poll(async () => new Set(await blotter.locator('.ag-cell[col-id="agentId"]').allTextContents()).size).toBe(1);
  await expect(blotter.locator('.ag-cell[col-id="agentId"]').first()).toContainText('TWAP');

  // The denials, each with its reason (the POV agent's child orders meet the firm's own resting ones).
  await page.getByTestId('blotter-agent').selectOption('');
  await page.getByTestId('blotter-denied').check();
  await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  const outcome = blotter.locator('.ag-cell[col-id="outcome"]').first();
  await expect(outcome).toHaveText(/^(risk|venue) [A-Z_]+: .+/);
  await expect(blotter.locator('.ag-cell[col-id="state"]').first()).toHaveText('✕ denied');
  await page.screenshot({ path: join(ROOT, 'docs', 'blotter.png') });
});
