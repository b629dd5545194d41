import { field } from './field.ts';
import type { Locator, Page } from 'playwright-core';

export interface CaseInput {
  labCaseNumber?: string;
  agency?: string;
  agencyCaseNumber?: string;
  offence?: string;
  receivedDate?: string;
}

async function fillCaseFields(form: Locator, fields: CaseInput) {
  const labels: Array<[keyof CaseInput, string]> = [
    ['labCaseNumber', 'Lab case number'],
    ['agency', 'Agency'],
    ['agencyCaseNumber', 'Agency case number'],
    ['offence', 'Offence'],
    ['receivedDate', 'Received'],
  ];
  for (const [key, label] of labels) {
    const value = fields[key];
    if (value !== undefined) await field(form, label).fill(value);
  }
}

export class CaseListPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  heading = () => this.page.getByRole('heading', { name: 'Cases', exact: true });
  table = () => this.page.getByRole('table', { name: 'Cases' });
  newCaseForm = () => this.page.getByRole('form', { name: 'New case' });
  search = () => field(this.page.locator('body'), 'Search');
  async createCase(fields: CaseInput) {
    // The keyboard shortcut, as an examiner would: "n" opens the form.
    await this.page.locator('body').press('n');
    const form = this.newCaseForm();
    await fillCaseFields(form, fields);
    await form.getByRole('button', { name: 'Create case' }).click();
  }
  row = (labCaseNumber: string) => this.table().getByRole('row').filter({ hasText: labCaseNumber });
}

export class CaseDetailPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  heading = (labCaseNumber: string) => this.page.getByRole('heading', { name: labCaseNumber });
  itemsTable = () => this.page.getByRole('table', { name: 'Items' });
  historyTable = () => this.page.getByRole('table', { name: 'Audit entries' });
  amendForm = (labCaseNumber: string) => this.page.getByRole('form', { name: `Amend case ${labCaseNumber}` });

  async amendCase(labCaseNumber: string, fields: CaseInput, reason: string) {
    await this.page.getByRole('button', { name: 'Amend case' }).click();
    const form = this.amendForm(labCaseNumber);
    await fillCaseFields(form, fields);
    await form.getByLabel('Reason for the amendment').fill(reason);
    await form.getByRole('button', { name: 'Save amendment' }).click();
  }

  async addItem(fields: {
    kind: 'Cartridge case' | 'Firearm';
    exhibitNumber: string;
    calibre?: string;
    text?: Record<string, string>;
    choices?: Record<string, string>;
  }) {
    await this.page.getByRole('button', { name: 'Add item' }).click();
    const form = this.page.getByRole('form', { name: 'New item' });
    await choose(this.page, form.getByRole('combobox', { name: 'Kind' }), fields.kind);
    await field(form, 'Exhibit number').fill(fields.exhibitNumber);
    if (fields.calibre) await field(form, 'Calibre').fill(fields.calibre);
    for (const [label, value] of Object.entries(fields.choices ?? {}))
      await choose(this.page, form.getByRole('combobox', { name: label, exact: true }), value);
    for (const [label, value] of Object.entries(fields.text ?? {})) await field(form, label).fill(value);
    await form.getByRole('button', { name: 'Add item' }).click();
    await form.waitFor({ state: 'detached' });
  }

  async amendItem(exhibit: string, text: Record<string, string>, reason: string) {
    await this.itemsTable()
      .getByRole('button', { name: `Edit ${exhibit}` })
      .click();
    const form = this.page.getByRole('form', { name: `Amend item ${exhibit}` });
    for (const [label, value] of Object.entries(text)) await field(form, label).fill(value);
    await form.getByLabel('Reason for the amendment').fill(reason);
    await form.getByRole('button', { name: 'Save amendment' }).click();
    await form.waitFor({ state: 'detached' });
  }

  /** Opens the row that shows every field of the item; returns that panel. */
  async itemDetails(exhibit: string) {
    await this.itemsTable()
      .getByRole('button', { name: `Show every field of ${exhibit}` })
      .click();
    return this.page.getByTestId(`item-details-${exhibit}`);
  }

  async showHistory() {
    await this.page.getByRole('tab', { name: 'History' }).click();
  }
}

/** Picks an option of a Mantine Select with the keyboard-free path a user takes: open, click the option. */
export async function choose(page: Page, input: Locator, option: string) {
  await input.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}
