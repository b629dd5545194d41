import type { Locator, Page } from 'playwright-core';

/** The live view component, wherever it is shown (rig camera or USB microscope). */
export class LiveViewPanel {
  readonly scope: Locator;
  constructor(scope: Locator) {
    this.scope = scope;
  }
  canvas = () => this.scope.getByTestId('live-canvas');
  image = (name: string) => this.scope.getByRole('group', { name });
  fps = () => this.scope.getByTestId('live-fps');
  focus = () => this.scope.getByTestId('live-focus');
  zoom = () => this.scope.getByTestId('live-zoom');
  saturation = () => this.scope.getByTestId('live-saturation');
  /** Frames drawn so far; the canvas counts them in an attribute. */
  async framesDrawn(): Promise<number> {
    return Number((await this.canvas().getAttribute('data-frames')) ?? 0);
  }
  async focusValue(): Promise<number> {
    return Number(await this.canvas().getAttribute('data-focus'));
  }
  async meanValue(): Promise<number> {
    return Number(await this.canvas().getAttribute('data-mean'));
  }
  /** Frames drawn per second, measured in the page over `ms` from the canvas's own counter. */
  async measureFps(ms = 3000): Promise<number> {
    return this.canvas().evaluate(async (canvas, duration) => {
      const count = () => Number((canvas as HTMLCanvasElement).dataset.frames ?? 0);
      const start = count();
      const t0 = performance.now();
      await new Promise((resolve) => setTimeout(resolve, duration));
      return ((count() - start) * 1000) / (performance.now() - t0);
    }, ms);
  }
}

export class RigPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  heading = () => this.page.getByRole('heading', { name: 'Imaging rig' });
  tab = (name: string) => this.page.getByRole('tab', { name });
  // USB microscope (UVC)
  cameraSelect = () => this.page.getByRole('combobox', { name: 'Camera' });
  openCamera = () => this.page.getByRole('button', { name: 'Open camera' });
  closeCamera = () => this.page.getByRole('button', { name: 'Close camera' });
  uvcProblem = () => this.page.getByTestId('uvc-problem');
  live = () => new LiveViewPanel(this.page.locator('main'));
}
