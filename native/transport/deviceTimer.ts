// A reply timeout that does not count time this process could not run. When the event loop was busy (a long
// computation, a loaded machine), the timer fires late and the device's reply may already wait unread in the
// port; declaring a timeout then would blame the device for our own stall. A late timer gives pending input
// a short grace period (a few event-loop turns) before it decides.
export interface DeviceTimer {
  cancel(): void;
}

export function deviceTimer(timeoutMs: number, onTimeout: () => void): DeviceTimer {
  const started = Date.now();
  let graced = false;
  const fire = () => {
    const lateMs = Date.now() - started - timeoutMs;
    if (!graced && lateMs > Math.max(20, timeoutMs / 2)) {
      graced = true;
      timer = setTimeout(fire, Math.min(timeoutMs, 100));
      return;
    }
    onTimeout();
  };
  let timer = setTimeout(fire, timeoutMs);
  return { cancel: () => clearTimeout(timer) };
}
