import { join } from 'node:path';
import { expect, ROOT, test } from './fixtures';

// A whole new session from the window, on a recorded day: the form checks the start time against
// the day's span, the live session ends (its handover on the audit trail), and the window follows
// the new one on the GOOG book from 10:00, with the default agents trading on it.
test('startsAHistoricalSessionFromTheWindowAndFollowsIt', async ({ cockpit, page }) => {
  test.setTimeout(120_000);
  await expect(cockpit.lastPrice).toHaveText(/^\d+\.\d{2}$/);
  const oldSession = await page.getByTestId('session-id').textContent();
  await page.keyboard.press('Control+Shift+Y');
  const form = page.getByTestId('start-form');
  await expect(form).toBeVisible();
  await page.getByTestId('start-kind').selectOption('lobster');
  await page.getByTestId('start-day').selectOption('GOOG_2012-06-21_34200000_57600000_message_10.csv.gz');
  await page.getByTestId('start-time').fill('17:00');
  await page.getByTestId('start-send').click();
  await expect(page.getByTestId('start-error')).toHaveText('Start: the GOOG day runs from 09:30 to 16:00.');
  await page.getByTestId('start-time').fill('10:00');
  await page.getByTestId('start-speed').fill('5');
  await page.getByTestId('start-send').click();
  await cockpit.confirmReason('e2e: trade the GOOG day');
  await expect(page.getByTestId('toast').filter({ hasText: 'Session started' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('scenario')).toHaveText(/^lobster:GOOG_2012-06-21/);
  await expect(page.getByTestId('session-id')).not.toHaveText(oldSession ?? '');
  await expect(page.getByTestId('sim-clock')).toHaveText(/^10:0\d:\d\d/, { timeout: 30_000 });
  // The GOOG book, in dollars, and the agents deciding on it.
  await expect(cockpit.lastPrice).toHaveText(/^5\d\d\.\d{4}$/, { timeout: 30_000 });
  await page.keyboard.press('Control+Shift+Y');
  await expect(cockpit.decisionsFeed).toContainText('TWAP sell 30k', { timeout: 60_000 });
  await page.screenshot({ path: join(ROOT, 'docs', 'session-start.png') });
  // The new session's audit trail opens with who started it and why.
  await page.keyboard.press('Control+Shift+A');
  const row = page.getByTestId('audit-row').filter({ hasText: 'StartSession' });
  await expect(row).toContainText('e2e: trade the GOOG day');
  await expect(row).toContainText(`${'GOOG_2012-06-21_34200000_57600000_message_10.csv.gz'} from 10:00 at 5×`);
});
