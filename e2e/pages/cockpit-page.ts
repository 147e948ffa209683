import { expect, type Locator, type Page } from '@playwright/test';

/** The cockpit window, as a trader uses it. */
export class CockpitPage {
  readonly killAll: Locator;
  readonly killSwitchState: Locator;
  readonly engineState: Locator;
  readonly simClock: Locator;
  readonly backend: Locator;
  readonly lastPrice: Locator;
  readonly chart: Locator;
  readonly statusBar: Locator;
  readonly scenario: Locator;
  readonly depthLadder: Locator;
  /** Bid rows of the depth ladder, best first; their prices are in `.ladder-px`. */
  readonly depthBids: Locator;
  readonly depthAsks: Locator;
  readonly decisionsFeed: Locator;
  readonly riskLimits: Locator;
  readonly evaluationTab: Locator;
  readonly liveTab: Locator;
  readonly evalRun: Locator;
  readonly evalTable: Locator;

  constructor(readonly page: Page) {
    this.killAll = page.getByTestId('kill-all');
    this.killSwitchState = page.getByTestId('kill-switch-state');
    this.engineState = page.getByTestId('engine-state');
    this.simClock = page.getByTestId('sim-clock');
    this.backend = page.getByTestId('backend');
    this.lastPrice = page.getByTestId('last-price');
    this.chart = page.getByTestId('price-chart');
    this.statusBar = page.getByTestId('status-bar');
    this.scenario = page.getByTestId('scenario');
    this.depthLadder = page.getByTestId('depth-ladder');
    this.depthBids = this.depthLadder.getByTestId('depth-bid');
    this.depthAsks = this.depthLadder.getByTestId('depth-ask');
    this.decisionsFeed = page.getByTestId('decisions-feed');
    this.riskLimits = page.getByTestId('risk-limits');
    this.evaluationTab = page.locator('[data-testid="view-evaluation"]:visible');
    this.liveTab = page.locator('[data-testid="view-live"]:visible');
    this.evalRun = page.getByTestId('eval-run');
    this.evalTable = page.getByTestId('eval-table');
  }

  /** Returns the price cells of the ladder's bid levels, best first. */
  depthBidPrices(): Locator {
    return this.depthBids.locator('.ladder-px');
  }

  /** Returns the evaluation table's row of one strategy. */
  evalRow(strategy: string): Locator {
    return this.evalTable.locator(`tbody tr[data-strategy="${strategy}"]`);
  }

  /** Opens the evaluation view and runs a backtest with the given form values (other fields keep their defaults). */
  async runBacktest(options: { scenario: string; seedFrom: number; seedTo: number; strategies: readonly string[]; quantity: number; horizonMinutes: number; startTime?: string }): Promise<void> {
    await this.evaluationTab.click();
    const p = this.page;
    await p.getByTestId('eval-scenario').selectOption(options.scenario);
    await p.getByTestId('eval-seed-from').fill(String(options.seedFrom));
    await p.getByTestId('eval-seed-to').fill(String(options.seedTo));
    for (const s of ['twap', 'vwap', 'pov', 'ac']) await p.getByTestId(`eval-strategy-${s}`).setChecked(options.strategies.includes(s));
    await p.getByTestId('eval-learned').fill(options.strategies.filter((s) => !['twap', 'vwap', 'pov', 'ac'].includes(s)).join(', '));
    await p.getByTestId('eval-quantity').fill(String(options.quantity));
    await p.getByTestId('eval-horizon').fill(String(options.horizonMinutes));
    await p.getByTestId('eval-start').fill(options.startTime ?? '');
    await this.evalRun.click();
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.engineState).toHaveText('running');
  }

  /** Presses KILL ALL and confirms the reason prompt. */
  async killEverything(reason: string): Promise<void> {
    await this.killAll.click();
    await this.page.getByTestId('reason-input').fill(reason);
    await this.page.getByTestId('reason-confirm').click();
  }
}
