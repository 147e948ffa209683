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
  readonly riskTab: Locator;
  readonly riskView: Locator;
  /** The per-agent and session limits table of the risk view; one row each, the session first. */
  readonly limitsTable: Locator;
  readonly limitsForm: Locator;
  /** The risk feed's rows (denials and alerts), newest first. */
  readonly riskFeedRows: Locator;
  readonly limitsHistory: Locator;
  readonly sessionTradingState: Locator;
  readonly activity: Locator;

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
    this.riskTab = page.locator('[data-testid="view-risk"]:visible');
    this.riskView = page.getByTestId('risk-view');
    this.limitsTable = page.getByTestId('limits-table');
    this.limitsForm = page.getByTestId('limits-form');
    this.riskFeedRows = page.getByTestId('risk-feed').locator('.live-row');
    this.limitsHistory = page.getByTestId('limits-history');
    this.sessionTradingState = page.getByTestId('session-trading-state');
    this.activity = page.getByRole('list', { name: 'Activity log' });
  }

  /** Returns the limits table's row of the agent whose name contains `name` (or of the session for "Session"). */
  riskRow(name: string): Locator {
    return this.limitsTable.locator('tbody tr').filter({ has: this.page.locator('.rv-name', { hasText: name }) });
  }

  /** Returns the risk feed's rows that contain every one of `texts`. */
  feedRow(...texts: (string | RegExp)[]): Locator {
    return texts.reduce((rows, t) => rows.filter({ hasText: t }), this.riskFeedRows);
  }

  /** Opens the risk view of the lower region. */
  async openRiskView(): Promise<void> {
    await this.riskTab.click();
    await expect(this.riskView).toBeVisible();
  }

  /** Opens the limits editor and types `values` (field paths such as `perAgent.priceCollarBps`) over the limits in force. */
  async editLimits(values: Readonly<Record<string, string>>): Promise<void> {
    await this.page.getByTestId('limits-edit').click();
    await expect(this.limitsForm).toBeVisible();
    for (const [path, value] of Object.entries(values)) await this.limitInput(path).fill(value);
  }

  /** Returns the editor's input of the limit at `path` (`perAgent.maxOrderLots`, `session.maxDailyLoss`). */
  limitInput(path: string): Locator {
    return this.page.getByTestId(`limits-input-${path.replace('.', '-')}`);
  }

  /** Returns the editor's message for the limit at `path`. */
  limitError(path: string): Locator {
    return this.page.getByTestId(`limits-error-${path.replace('.', '-')}`);
  }

  /** Types `reason` into the open reason prompt and confirms it. */
  async confirmReason(reason: string): Promise<void> {
    await this.page.getByTestId('reason-input').fill(reason);
    await this.page.getByTestId('reason-confirm').click();
    await expect(this.page.getByTestId('reason-input')).toBeHidden();
  }

  /** Sets the session's speed from the speed control, with a reason. */
  async setSpeed(speed: number, reason: string): Promise<void> {
    await this.page.getByTestId('speed-select').selectOption(String(speed));
    await this.confirmReason(reason);
    await expect(this.page.getByTestId('speed-select')).toHaveValue(String(speed));
  }

  /**
   * Waits until some agent row of the limits table shows trading state `state`, checking on every
   * animation frame: a posture the overlay gives back on clear may last only a moment of wall time.
   * Only states shown once the status bar's simulated clock reads `after` (HH:MM:SS) or later count.
   * Resolves with the names of the agents seen in it.
   */
  async waitForAgentTradingState(state: string, timeout: number, after = '00:00:00'): Promise<string[]> {
    const handle = await this.page.waitForFunction(
      ({ wanted, from }) => {
        // The e2e project is type-checked without the DOM's types; this is the part of them used here.
        const doc = (globalThis as unknown as { document: PageNode }).document;
        if ((doc.querySelector('[data-testid="sim-clock"]')?.textContent ?? '') < from) return null;
        const rows = Array.from(doc.querySelectorAll('[data-testid="limits-table"] tbody tr:not(.session-row)'));
        const names = rows.filter((r) => r.querySelector('[data-testid="risk-trading-state"]')?.textContent === wanted).map((r) => r.querySelector('.rv-name')?.textContent ?? '');
        return names.length > 0 ? names : null;
      },
      { wanted: state, from: after },
      { polling: 'raf', timeout },
    );
    return (await handle.jsonValue()) as string[];
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

/** What the page-side checks use of a DOM element. */
interface PageNode {
  readonly textContent: string | null;
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): ArrayLike<PageNode>;
}
