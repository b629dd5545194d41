// Acquisitions on the case page (list, import, capture, unsuitable), the acquisition viewer and the calibration page.
import type { Page } from 'playwright-core';
import { pixelStats, shownPixels } from '../support/fieldPixels.ts';

export class ItemAcquisitionsPanel {
  readonly page: Page;
  readonly exhibit: string;
  constructor(page: Page, exhibit: string) {
    this.page = page;
    this.exhibit = exhibit;
  }
  panel = () => this.page.getByTestId(`acquisitions-${this.exhibit}`);
  table = () => this.panel().getByRole('table', { name: 'Acquisitions' });
  rows = () =>
    this.table()
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell') });
  importForm = () => this.page.getByRole('form', { name: `Import a scan into ${this.exhibit}` });
  importError = () => this.page.getByTestId('import-error');
  importResult = () => this.page.getByTestId('import-result');

  async importFile(path: string, region = 'Breech face') {
    await this.panel().getByRole('button', { name: 'Import file' }).click();
    const form = this.importForm();
    await form.getByLabel('Scan file (X3P, PNG or TIFF)').setInputFiles(path);
    const regionInput = form.getByRole('combobox', { name: 'Region' });
    if ((await regionInput.inputValue()) !== region) {
      await regionInput.click();
      await this.page.getByRole('option', { name: region, exact: true }).click();
    }
    await form.getByRole('button', { name: 'Import' }).click();
  }

  captureDialog = () => this.page.getByRole('dialog', { name: `Guided capture of ${this.exhibit}` });
  async openCapture() {
    await this.panel().getByRole('button', { name: 'Capture' }).click();
    return this.captureDialog();
  }
}

export class AcquisitionViewer {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  heading = (id: number) => this.page.getByRole('heading', { name: `Acquisition ${id}` });
  relief = () => this.page.getByTestId('relief');
  tab = (name: 'Topography' | 'Images' | 'Provenance') => this.page.getByRole('tab', { name });
  provenance = () => this.page.getByTestId('provenance');

  /** Statistics of what the relief shows on screen: distinct grey levels and hatched (not measured) pixels. */
  async reliefPixels() {
    return pixelStats(await shownPixels(this.relief().locator('canvas')));
  }
}

export class CalibrationPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  heading = () => this.page.getByRole('heading', { name: 'Calibration', exact: true });
  table = () => this.page.getByRole('table', { name: 'Calibration' });
  detail = () => this.page.getByTestId('calibration-detail');
  report = () => this.page.getByTestId('calibration-report');
}
