// USB discovery and hot-plug through node-usb's WebUSB interface. A machine without USB (no /sys/bus/usb, a
// container, libusb missing or refused) is a normal state, reported as `available: false` with the reason,
// never thrown: the station then runs without USB devices (the demo rig, or serial devices only).
import type { Unsubscribe } from '../../electron/base/listeners.ts';
import type { UsbDeviceLike } from './usbDevice.ts';

export interface UsbScan {
  available: boolean;
  /** Why USB is unavailable, or how many devices were found, in words. */
  message: string;
  devices: UsbDeviceLike[];
}

interface WebUsbLike {
  getDevices(): Promise<UsbDeviceLike[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (event: Event & { device?: UsbDeviceLike }) => void): void;
  removeEventListener(
    type: 'connect' | 'disconnect',
    listener: (event: Event & { device?: UsbDeviceLike }) => void,
  ): void;
}

let webusb: Promise<WebUsbLike | Error> | undefined;

/** node-usb loaded once; an Error when its native part cannot load on this machine. */
function loadWebUsb(): Promise<WebUsbLike | Error> {
  webusb ??= import('usb').then(
    (module) => new module.WebUSB({ allowAllDevices: true }) as unknown as WebUsbLike,
    (error: Error) => new Error(`node-usb cannot load: ${error.message}`),
  );
  return webusb;
}

export function usbId(device: { vendorId: number; productId: number }): string {
  return `${device.vendorId.toString(16).padStart(4, '0')}:${device.productId.toString(16).padStart(4, '0')}`;
}

export async function scanUsb(): Promise<UsbScan> {
  const usb = await loadWebUsb();
  if (usb instanceof Error) return { available: false, message: usb.message, devices: [] };
  try {
    const devices = await usb.getDevices();
    return {
      available: true,
      message: `${devices.length} USB device${devices.length === 1 ? '' : 's'} found`,
      devices,
    };
  } catch (error) {
    // e.g. "/sys/bus/usb/devices/ not found" in a container, or no permission on /dev/bus/usb.
    return { available: false, message: `no USB on this machine (${(error as Error).message})`, devices: [] };
  }
}

/**
 * Calls back when a USB device arrives or leaves. Resolves to a no-op when hot-plug is not available here;
 * the caller may rescan on its own instead.
 */
export async function watchUsb(
  listener: (change: { type: 'connect' | 'disconnect'; device: UsbDeviceLike }) => void,
): Promise<{ available: boolean; stop: Unsubscribe }> {
  const usb = await loadWebUsb();
  if (usb instanceof Error) return { available: false, stop: () => undefined };
  // node-usb rethrows hot-plug set-up failures from a timer (an uncaught exception) and leaves a device
  // listing rejected unhandled, so it is asked to watch only where listing devices works at all.
  try {
    await usb.getDevices();
  } catch {
    return { available: false, stop: () => undefined };
  }
  const onConnect = (event: Event & { device?: UsbDeviceLike }) =>
    event.device && listener({ type: 'connect', device: event.device });
  const onDisconnect = (event: Event & { device?: UsbDeviceLike }) =>
    event.device && listener({ type: 'disconnect', device: event.device });
  try {
    usb.addEventListener('connect', onConnect);
    usb.addEventListener('disconnect', onDisconnect);
  } catch {
    return { available: false, stop: () => undefined };
  }
  return {
    available: true,
    stop: () => {
      usb.removeEventListener('connect', onConnect);
      usb.removeEventListener('disconnect', onDisconnect);
    },
  };
}
