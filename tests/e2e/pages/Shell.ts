import type { Page } from 'playwright-core';

/** The signed-in frame: side navigation, account menu and status bar. */
export class Shell {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  nav = () => this.page.getByRole('navigation', { name: 'Main navigation' });
  navLink = (name: string) => this.nav().getByRole('link', { name });
  statusBar = () => this.page.getByTestId('status-bar');
  async open(section: 'Cases' | 'Audit trail' | 'Administration') {
    await this.navLink(section).click();
  }
  async signOut() {
    await this.page.getByTestId('user-menu').click();
    await this.page.getByRole('menuitem', { name: 'Sign out' }).click();
  }
  async changePassword(current: string, next: string) {
    await this.page.getByTestId('user-menu').click();
    await this.page.getByRole('menuitem', { name: 'Change password' }).click();
    const form = this.page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill(current);
    await form.getByLabel('New password').fill(next);
    await form.getByLabel('Repeat the password').fill(next);
    await form.getByRole('button', { name: 'Change password' }).click();
    return form;
  }
  async lock() {
    await this.page.getByTestId('user-menu').click();
    await this.page.getByRole('menuitem', { name: 'Lock' }).click();
  }
}
