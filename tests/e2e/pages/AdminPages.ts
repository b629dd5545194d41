import { field } from './field.ts';
import type { Page } from 'playwright-core';
import { choose } from './CasePages.ts';

export class AdminPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  heading = () => this.page.getByRole('heading', { name: 'Administration' });
  usersTable = () => this.page.getByRole('table', { name: 'Users' });
  async createUser(user: {
    username: string;
    displayName: string;
    password: string;
    role: 'Technician' | 'Examiner' | 'Manager' | 'Administrator';
  }) {
    await this.page.getByRole('button', { name: 'New user' }).click();
    const form = this.page.getByRole('form', { name: 'New user' });
    await field(form, 'User name').fill(user.username);
    await field(form, 'Full name').fill(user.displayName);
    await field(form, 'Password').fill(user.password);
    await field(form, 'Repeat the password').fill(user.password);
    await choose(this.page, form.getByRole('combobox', { name: 'Role' }), user.role);
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.waitFor({ state: 'detached' });
  }
  async verifyAudit() {
    await this.page.getByRole('button', { name: 'Verify the audit trail' }).click();
    return this.page.getByTestId('audit-verify-result');
  }
}

export class AuditViewerPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  heading = () => this.page.getByRole('heading', { name: 'Audit trail' });
  table = () => this.page.getByRole('table', { name: 'Audit entries' });
  async filterByAction(action: string) {
    await choose(this.page, this.page.getByRole('combobox', { name: 'Action' }), action);
  }
}
