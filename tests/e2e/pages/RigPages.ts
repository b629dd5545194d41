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
  darkHint = () => this.scope.getByTestId('live-dark-hint');
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
    return (await this.measureRates(ms)).drawnFps;
  }
  /**
   * Frames received and drawn per second over `ms`, and the UI thread's smoothed cost of drawing one frame:
   * received < source rate points at the host or the link, drawn < received at the page.
   */
  async measureRates(ms = 3000): Promise<{ drawnFps: number; receivedFps: number; drawMs: number }> {
    return this.canvas().evaluate(async (canvas, duration) => {
      const data = (canvas as HTMLCanvasElement).dataset;
      const drawn0 = Number(data.frames ?? 0);
      const received0 = Number(data.received ?? 0);
      const t0 = performance.now();
      await new Promise((resolve) => setTimeout(resolve, duration));
      const seconds = (performance.now() - t0) / 1000;
      return {
        drawnFps: (Number(data.frames ?? 0) - drawn0) / seconds,
        receivedFps: (Number(data.received ?? 0) - received0) / seconds,
        drawMs: Number(data.drawMs ?? 0),
      };
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

/** The rig tab: devices, camera, stage and lights of the station's rig. */
export class RigPanelPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  profile = () => this.page.getByTestId('rig-profile');
  state = () => this.page.getByTestId('rig-state');
  error = () => this.page.getByTestId('rig-error');
  connectAll = () => this.page.getByRole('button', { name: 'Connect all', exact: true });
  deviceState = (label: string) => this.page.getByTestId(`device-state-${label}`);
  deviceError = (label: string) => this.page.getByTestId(`device-error-${label}`);
  connect = (label: string) => this.page.getByRole('button', { name: `Connect ${label}`, exact: true });
  startLive = () => this.page.getByRole('button', { name: 'Start live view' });
  stopLive = () => this.page.getByRole('button', { name: 'Stop live view' });
  snap = () => this.page.getByRole('button', { name: 'Snap' });
  liveState = () => this.page.getByTestId('rig-live-state');
  jog = () => this.page.getByTestId('stage-jog');
  position = (axis: string) => this.page.getByTestId(`stage-position-${axis}`);
  /** The step size of an axis, by the axis's words ('Focus', 'Rotation'). */
  stepSelect = (axis: string) => this.page.getByRole('combobox', { name: `Step for ${axis}` });
  /** A light's slider by its name: 'Coaxial light' (one channel), 'Ring light: Light from 0° (right)'. */
  lightThumb = (name: string) => this.page.getByRole('slider', { name, exact: true });
  /** The heading of a device's controls ('Camera', 'Focus and rotation stage', 'Ring light'). */
  deviceHeading = (words: string) => this.page.getByRole('heading', { name: words, level: 3, exact: true });
  exposure = () => this.page.getByRole('textbox', { name: 'Exposure' });
  gain = () => this.page.getByRole('textbox', { name: 'Gain' });
  live = () => new LiveViewPanel(this.page.locator('main'));
  async deviceStateValue(label: string): Promise<string | null> {
    return this.deviceState(label).getAttribute('data-state');
  }
  /** The axis position as a number, from its readout ("-4.000 mm"). */
  async positionValue(axis: string): Promise<number> {
    return Number.parseFloat((await this.position(axis).innerText()).replace('−', '-'));
  }
}
