// Page objects work on any Page showing the Casebench UI, however it was launched (serve + Chromium or Electron).
import { field } from './field.ts';
import type { Page } from 'playwright-core';

export class FirstRunPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  heading = () => this.page.getByRole('heading', { name: 'Set up this station' });
  async setUp(fields: { username: string; displayName: string; password: string; confirm?: string }) {
    const form = this.page.getByRole('form', { name: 'Set up this station' });
    await field(form, 'User name').fill(fields.username);
    await field(form, 'Full name').fill(fields.displayName);
    await field(form, 'Password').fill(fields.password);
    await field(form, 'Repeat the password').fill(fields.confirm ?? fields.password);
    await form.getByRole('button', { name: 'Create administrator' }).click();
  }
}

export class SignInPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  heading = () => this.page.getByRole('heading', { name: 'Sign in' });
  alert = () => this.page.getByRole('alert');
  async signIn(username: string, password: string) {
    const form = this.page.getByRole('form', { name: 'Sign in' });
    await field(form, 'User name').fill(username);
    await field(form, 'Password').fill(password);
    await form.getByRole('button', { name: 'Sign in' }).click();
  }
}

export class LockScreen {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }
  heading = () => this.page.getByRole('heading', { name: 'Station locked' });
  async unlock(password: string) {
    const form = this.page.getByRole('form', { name: 'Station locked' });
    await field(form, 'Password').fill(password);
    await form.getByRole('button', { name: 'Unlock' }).click();
  }
}
