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
  async lock() {
    await this.page.getByTestId('user-menu').click();
    await this.page.getByRole('menuitem', { name: 'Lock' }).click();
  }
}
