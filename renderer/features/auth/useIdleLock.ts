import { useEffect } from 'react';
import { useStation } from '../../api/hooks.tsx';

const activityEvents = ['pointerdown', 'pointermove', 'keydown', 'wheel'] as const;

/** Locks the session after `minutes` without keyboard or pointer input. The host also locks on its own clock. */
export function useIdleLock(minutes: number) {
  const station = useStation();
  useEffect(() => {
    if (!(minutes > 0)) return;
    let last = Date.now();
    const touch = () => {
      last = Date.now();
    };
    activityEvents.forEach((name) => window.addEventListener(name, touch, { passive: true }));
    const timer = setInterval(() => {
      if (Date.now() - last >= minutes * 60_000)
        void station.lock().catch((error: unknown) => station.noteError(error));
    }, 5_000);
    return () => {
      clearInterval(timer);
      activityEvents.forEach((name) => window.removeEventListener(name, touch));
    };
  }, [minutes, station]);
}
