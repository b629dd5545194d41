// Which rig is plugged in? Lists the USB devices and serial ports of this machine and the rig profiles on disk,
// and suggests the profile whose devices are all present. Simulated profiles (the demo rig) are never
// "present"; they are the fallback when no hardware profile matches.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scanSerialPorts, type SerialScan } from '../transport/serialDiscovery.ts';
import { scanUsb, usbId, type UsbScan } from '../transport/usbDiscovery.ts';
import { loadRigProfile, RigProfileError, type RigProfile } from './profile.ts';

export interface HardwareScan {
  usb: UsbScan;
  serial: SerialScan;
}

export interface ProfileEntry {
  path: string;
  /** Undefined when the file is not a valid profile (`error` says why). */
  profile?: RigProfile;
  error?: string;
  simulated: boolean;
}

export interface ProfileMatch {
  entry: ProfileEntry;
  /** Device label → where it was found, or why not. */
  devices: { label: string; found: boolean; where: string }[];
}

export async function scanHardware(): Promise<HardwareScan> {
  const [usb, serial] = await Promise.all([scanUsb(), scanSerialPorts()]);
  return { usb, serial };
}

/** True when any device of the profile is a simulator or an emulator. */
export function isSimulated(profile: RigProfile): boolean {
  return profile.devices.some(
    (d) => ('port' in d && 'simulator' in d.port) || (d.driver === 'u3v' && d.emulated !== undefined),
  );
}

/** Every *.json in the folder, sorted by name; invalid files are listed with their error, not thrown. */
export async function listProfiles(dir: string): Promise<ProfileEntry[]> {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async (name): Promise<ProfileEntry> => {
      const path = join(dir, name);
      try {
        const profile = await loadRigProfile(path);
        return { path, profile, simulated: isSimulated(profile) };
      } catch (error) {
        if (error instanceof RigProfileError) return { path, error: error.message, simulated: false };
        throw error;
      }
    }),
  );
}

/** Where each device of a hardware profile is, on this machine. */
export function matchProfile(entry: ProfileEntry, hardware: HardwareScan): ProfileMatch {
  const devices = (entry.profile?.devices ?? []).map((device) => {
    if (device.driver === 'uvc') return { label: device.label, found: true, where: 'UVC camera (chosen in the app)' };
    if (device.driver === 'u3v') {
      const wanted = usbId({ vendorId: device.usb.vendorId, productId: device.usb.productId });
      const hit = hardware.usb.devices.find(
        (d) =>
          usbId(d) === wanted && (device.usb.serialNumber === undefined || d.serialNumber === device.usb.serialNumber),
      );
      return {
        label: device.label,
        found: hit !== undefined,
        where: hit ? `USB ${wanted}` : `USB ${wanted} not connected`,
      };
    }
    if ('simulator' in device.port)
      return { label: device.label, found: false, where: `simulator "${device.port.simulator}"` };
    const path = device.port.path;
    const found = hardware.serial.ports.some((p) => p.path === path) || existsSync(path);
    return { label: device.label, found, where: found ? path : `${path} not present` };
  });
  return { entry, devices };
}

/**
 * The hardware profile whose devices are all present (the one with most devices when several are), else
 * undefined: the caller then falls back to the demo rig.
 */
export function suggestProfile(entries: ProfileEntry[], hardware: HardwareScan): ProfileMatch | undefined {
  const complete = entries
    .filter((e) => e.profile && !e.simulated)
    .map((e) => matchProfile(e, hardware))
    .filter((m) => m.devices.length > 0 && m.devices.every((d) => d.found));
  complete.sort((a, b) => b.devices.length - a.devices.length);
  return complete[0];
}
