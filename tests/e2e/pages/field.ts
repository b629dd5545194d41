import type { Locator } from 'playwright-core';

/** An input by its visible label; required fields carry a trailing asterisk that is part of the label text. */
export function field(scope: Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}\\s*\\*?$`));
}
