import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(800).max(20000),
  height: z.number().int().min(600).max(20000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

const fallback: WindowState = { width: 1440, height: 900, maximized: false };

export function loadWindowState(dataDir: string): WindowState {
  try {
    return windowStateSchema.parse(JSON.parse(readFileSync(join(dataDir, 'window-state.json'), 'utf8')));
  } catch {
    return fallback;
  }
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  writeFileSync(join(dataDir, 'window-state.json'), JSON.stringify(state));
}
