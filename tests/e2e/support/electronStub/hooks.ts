// Module resolution hook: `electron` is the stand-in; everything else resolves as usual.
type Resolve = (
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<{ url: string }>,
) => Promise<{ url: string; shortCircuit?: boolean }>;

export const resolve: Resolve = async (specifier, context, next) =>
  specifier === 'electron'
    ? { url: new URL('./electron.ts', import.meta.url).href, shortCircuit: true }
    : next(specifier, context);
