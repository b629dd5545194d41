// Serial port listing. On Linux serialport's own list() runs `udevadm info -e`, which a container or a minimal
// install does not have ("spawn udevadm ENOENT"), so the ports are read from the kernel instead: every tty in
// /sys/class/tty that is backed by a device, with the USB vendor/product/serial of the device above it and its
// stable /dev/serial/by-id name. Elsewhere serialport's list() needs nothing extra. A machine where ports
// cannot be listed is a reported state, never an exception.
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  /** The port's stable name under /dev/serial/by-id, when udev made one. */
  pnpId?: string;
}

export interface SerialScan {
  available: boolean;
  /** How many ports were found, or why they cannot be listed, in words. */
  message: string;
  ports: SerialPortInfo[];
}

/** The tty names serialport itself treats as serial ports (its Linux lister's filter). */
const serialTtyName = /^(ttyS|ttyWCH|ttyACM|ttyUSB|ttyAMA|ttyMFD|ttyO|ttyXRUSB|rfcomm)\d/;

export interface LinuxRoots {
  /** Where sysfs is mounted (default /sys). */
  sys: string;
  /** The device folder (default /dev). */
  dev: string;
}

const found = (ports: SerialPortInfo[]): SerialScan => ({
  available: true,
  message: `${ports.length} serial port${ports.length === 1 ? '' : 's'} found`,
  ports,
});

export function listLinuxSerialPorts(roots: LinuxRoots = { sys: '/sys', dev: '/dev' }): SerialScan {
  const classDir = join(roots.sys, 'class', 'tty');
  let names: string[];
  try {
    names = readdirSync(classDir);
  } catch (error) {
    return {
      available: false,
      message: `serial ports cannot be listed: ${classDir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; is sysfs mounted?)`,
      ports: [],
    };
  }
  const byId = stableNames(join(roots.dev, 'serial', 'by-id'));
  const ports: SerialPortInfo[] = [];
  for (const name of names.filter((n) => serialTtyName.test(n)).sort(naturalOrder)) {
    const ttyDir = join(classDir, name);
    const device = realpathOrUndefined(join(ttyDir, 'device'));
    // A tty without a device behind it is a virtual console or a pseudo-terminal, not a port.
    if (!device) continue;
    // The kernel keeps ttyS0..N placeholders for legacy UARTs; type 0 means no UART answered at that address.
    if (name.startsWith('ttyS') && readText(join(ttyDir, 'type')) === '0') continue;
    const usb = usbAncestor(device, roots.sys);
    ports.push({
      path: join(roots.dev, name),
      ...(usb ?? {}),
      ...(byId.get(name) ? { pnpId: byId.get(name) } : {}),
    });
  }
  return found(ports);
}

/** The USB device a tty hangs from (the nearest folder with idVendor), walking up sysfs. */
function usbAncestor(device: string, sysRoot: string): Omit<SerialPortInfo, 'path' | 'pnpId'> | undefined {
  const top = realpathOrUndefined(join(sysRoot, 'devices')) ?? join(sysRoot, 'devices');
  for (let dir = device; dir.startsWith(top) && dir !== top; dir = dirname(dir)) {
    const vendorId = readText(join(dir, 'idVendor'));
    if (vendorId === undefined) continue;
    const info: Omit<SerialPortInfo, 'path' | 'pnpId'> = { vendorId };
    const productId = readText(join(dir, 'idProduct'));
    const manufacturer = readText(join(dir, 'manufacturer'));
    const serialNumber = readText(join(dir, 'serial'));
    if (productId) info.productId = productId;
    if (manufacturer) info.manufacturer = manufacturer;
    if (serialNumber) info.serialNumber = serialNumber;
    return info;
  }
  return undefined;
}

/** tty name → its /dev/serial/by-id name; empty when udev never made the folder (no udev here). */
function stableNames(dir: string): Map<string, string> {
  const names = new Map<string, string>();
  let links: string[];
  try {
    links = readdirSync(dir);
  } catch {
    return names;
  }
  for (const link of links) {
    try {
      names.set(basename(readlinkSync(join(dir, link))), link);
    } catch {
      // not a link: nothing to learn from it
    }
  }
  return names;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** ttyUSB2 before ttyUSB10. */
function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export async function scanSerialPorts(platform: NodeJS.Platform = process.platform): Promise<SerialScan> {
  if (platform === 'linux') return listLinuxSerialPorts();
  try {
    const { SerialPort } = await import('serialport');
    const ports = await SerialPort.list();
    return found(
      ports.map((p) => ({
        path: p.path,
        manufacturer: p.manufacturer,
        serialNumber: p.serialNumber,
        vendorId: p.vendorId,
        productId: p.productId,
        pnpId: p.pnpId,
      })),
    );
  } catch (error) {
    return { available: false, message: `serial ports cannot be listed: ${(error as Error).message}`, ports: [] };
  }
}
