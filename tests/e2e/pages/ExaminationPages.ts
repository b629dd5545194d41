// The comparison workspace and the examination around it (annotations, snapshots, conclusion, verification),
// the worklist and a case's linked cases.
import type { Locator, Page } from 'playwright-core';
import { text, until, visible } from '../support/steps.ts';

export class ExaminationPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  workspace = () => this.page.getByTestId('workspace');
  field = () => this.page.getByTestId('field');
  canvas = () => this.page.getByTestId('field-canvas');
  state = () => this.page.getByTestId('comparison-state');
  /** The state badge's words (badges are shown in capitals; the words are not). */
  stateText = async () => (await this.state().textContent())?.trim();
  fieldState = () => this.page.getByTestId('field-state');
  autoAlign = () => this.page.getByTestId('auto-align');
  splitHandle = () => this.page.getByTestId('split-handle');
  tab = (name: RegExp | string) => this.page.getByRole('tab', { name });
  mode = (name: string) => this.page.getByRole('radiogroup', { name: 'View' }).getByText(name, { exact: true });
  annotationDialog = () => this.page.getByRole('dialog');
  conclusionForm = () => this.page.getByRole('form', { name: /conclusion/i });

  /** Both pictures on the GPU at full resolution and drawn (a completed frame after they arrived). */
  async drawn(layers = 'topography|topography', timeout = 60_000) {
    await this.page.waitForFunction(
      (want) => {
        const canvas = document.querySelector('[data-testid="field-canvas"]');
        return (
          canvas?.getAttribute('data-layers') === want &&
          document.querySelector('[data-testid="workspace"]')?.getAttribute('data-refining') === 'false' &&
          Number(canvas.getAttribute('data-frames-completed')) >= Number(canvas.getAttribute('data-layers-from'))
        );
      },
      layers,
      { timeout },
    );
  }

  /** The analysis has arrived (auto-align can be used). */
  async analysed(timeout = 120_000) {
    await until('the analysis to arrive', async () => await this.autoAlign().isEnabled(), timeout, 250);
  }

  /** B's rotation on A as the workspace states it. */
  async rotationOnA(): Promise<number> {
    const words = await text(this.fieldState());
    return Number(words.match(/B on A: (-?[\d.]+)°/)![1]);
  }

  /** Records a conclusion through the conclusion tab. */
  async conclude(conclusion: string, basis: string) {
    await this.tab('Conclusion').click();
    const form = this.conclusionForm();
    await visible(form);
    await form.getByRole('radio', { name: conclusion, exact: true }).check();
    await form.getByRole('textbox', { name: /^Basis/ }).fill(basis);
    await form.getByRole('button', { name: 'Record conclusion' }).click();
  }

  async waitForState(state: string, timeout = 20_000) {
    await until(`comparison state "${state}"`, async () => (await this.stateText()) === state, timeout, 200);
  }
}

export class WorklistPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  table = () => this.page.getByTestId('worklist');
  entry = (kind: string): Locator => this.table().locator('tbody tr').filter({ hasText: kind });
  async open(kind: string) {
    await visible(this.entry(kind), 20_000);
    await this.entry(kind).first().getByRole('link').click();
  }
}
