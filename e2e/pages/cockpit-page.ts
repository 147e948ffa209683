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

  constructor(readonly page: Page) {
    this.killAll = page.getByTestId('kill-all');
    this.killSwitchState = page.getByTestId('kill-switch-state');
    this.engineState = page.getByTestId('engine-state');
    this.simClock = page.getByTestId('sim-clock');
    this.backend = page.getByTestId('backend');
    this.lastPrice = page.getByTestId('last-price');
    this.chart = page.getByTestId('price-chart');
    this.statusBar = page.getByTestId('status-bar');
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
