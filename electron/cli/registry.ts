import type { Command } from './command.ts';

// Every CLI command is listed here once. Add yours in alphabetical order of its file name.
export const commands: Command[] = [];
