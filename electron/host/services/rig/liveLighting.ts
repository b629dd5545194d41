// Live view on a rig whose lights are all off shows a black image, and nothing on screen says why. Starting live
// view then switches on a sensible default: the coaxial light (flat, even illumination of the whole field, what a
// technician focuses under) or, on a rig without one, every channel at a lower level. Lights someone already set
// are left alone.
import type { Rig } from '../../../../native/rig/createRig.ts';

/** Percent for a coaxial channel: bright enough to focus by, far from saturating at the default exposure. */
export const liveCoaxialPercent = 50;
/** Percent for each channel of a rig without a coaxial light (several oblique channels add up). */
export const liveObliquePercent = 30;

/** Levels to set per light device when every light of the rig is off; empty when one is on (or none is ready). */
export function defaultLiveLighting(rig: Rig): Map<string, Record<string, number>> {
  const ready = rig.lights.filter((light) => light.state === 'ready');
  const anyOn = ready.some((light) => Object.values(light.levels()).some((level) => level > 0));
  const plan = new Map<string, Record<string, number>>();
  if (ready.length === 0 || anyOn) return plan;
  const coaxial = (label: string, channel: string) => {
    const config = rig.profile.devices.find((d) => d.label === label);
    return !!config && 'channels' in config && !!config.channels.find((c) => c.id === channel)?.coaxial;
  };
  for (const light of ready) {
    const ids = light.channels().map((c) => c.id);
    const coax = ids.filter((id) => coaxial(light.label, id));
    if (coax.length) plan.set(light.label, Object.fromEntries(coax.map((id) => [id, liveCoaxialPercent])));
  }
  if (plan.size) return plan;
  for (const light of ready)
    plan.set(light.label, Object.fromEntries(light.channels().map((c) => [c.id, liveObliquePercent])));
  return plan;
}
