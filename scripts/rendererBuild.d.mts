/** Builds the app when the built renderer is missing or older than its sources; false when that build failed. */
export function ensureRendererBuilt(): boolean;
