// What a screen keeps for the signed-in person between visits (the last search and its result), so coming back to
// it shows the same. All of it is forgotten when the session ends, with the query cache (app/App.tsx): the next
// person to sign in on this browser sees none of it.
const slots = new Set<{ clear(): void }>();

export interface SessionSlot<T> {
  get(): T | null;
  set(value: T): void;
}

export function sessionSlot<T>(): SessionSlot<T> {
  let value: T | null = null;
  slots.add({ clear: () => (value = null) });
  return {
    get: () => value,
    set: (next) => (value = next),
  };
}

/** Runs `forget` when the session ends, for memory that is not a slot (caches of pictures the person opened). */
export function forgetWithSession(forget: () => void): void {
  slots.add({ clear: forget });
}

/** Forgets what every slot holds (the session ended: sign-out, expiry, sign-in elsewhere). */
export function forgetSession(): void {
  for (const slot of slots) slot.clear();
}
