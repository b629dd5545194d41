import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLinuxSerialPorts } from './serialDiscovery.ts';

/** A sysfs + /dev tree as the kernel and udev lay it out, built in a temporary folder. */
function fakeMachine(options: { byId: boolean }) {
  const root = mkdtempSync(join(tmpdir(), 'serial-discovery-'));
  const sys = join(root, 'sys');
  const dev = join(root, 'dev');
  const tty = join(sys, 'class', 'tty');
  mkdirSync(tty, { recursive: true });
  mkdirSync(dev);
  const device = (ttyName: string, devicePath: string, files: Record<string, string> = {}) => {
    const dir = join(sys, 'devices', devicePath);
    mkdirSync(join(dir, 'tty', ttyName), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'tty', ttyName, name), `${text}\n`);
    symlinkSync(dir, join(dir, 'tty', ttyName, 'device'));
    symlinkSync(join(dir, 'tty', ttyName), join(tty, ttyName));
    return dir;
  };
  // A USB CDC-ACM stage controller: interface folder below the USB device folder that holds the ids.
  const usb = join(sys, 'devices', 'pci0000:00', '0000:00:14.0', 'usb1', '1-2');
  mkdirSync(usb, { recursive: true });
  for (const [name, text] of Object.entries({
    idVendor: '2341',
    idProduct: '0043',
    manufacturer: 'Arduino (www.arduino.cc)',
    serial: '7543331383',
  }))
    writeFileSync(join(usb, name), `${text}\n`);
  device('ttyACM0', 'pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0');
  // A legacy UART that answered (type 4 = 16550A) and a placeholder that did not (type 0).
  device('ttyS0', 'pnp0/00:00', { type: '4' });
  device('ttyS1', 'platform/serial8250', { type: '0' });
  device('ttyUSB10', 'platform/other/a');
  device('ttyUSB2', 'platform/other/b');
  // Virtual terminals and pseudo-terminals have no device link.
  mkdirSync(join(tty, 'tty0'));
  mkdirSync(join(tty, 'ptmx'));
  if (options.byId) {
    mkdirSync(join(dev, 'serial', 'by-id'), { recursive: true });
    symlinkSync('../../ttyACM0', join(dev, 'serial', 'by-id', 'usb-Arduino_7543331383-if00'));
  }
  return { sys, dev };
}

describe('serial port listing without udev', () => {
  it('lists device-backed ttys from sysfs with their USB identity and by-id name', () => {
    const roots = fakeMachine({ byId: true });
    const scan = listLinuxSerialPorts(roots);
    expect(scan.available).toBe(true);
    expect(scan.message).toBe('4 serial ports found');
    expect(scan.ports).toEqual([
      {
        path: join(roots.dev, 'ttyACM0'),
        vendorId: '2341',
        productId: '0043',
        manufacturer: 'Arduino (www.arduino.cc)',
        serialNumber: '7543331383',
        pnpId: 'usb-Arduino_7543331383-if00',
      },
      { path: join(roots.dev, 'ttyS0') },
      { path: join(roots.dev, 'ttyUSB2') },
      { path: join(roots.dev, 'ttyUSB10') },
    ]);
  });

  it('works when udev never ran (no /dev/serial)', () => {
    const roots = fakeMachine({ byId: false });
    const scan = listLinuxSerialPorts(roots);
    expect(scan.ports.map((p) => p.path)).toContain(join(roots.dev, 'ttyACM0'));
    expect(scan.ports[0].pnpId).toBeUndefined();
  });

  it('says why when sysfs is not there, without throwing', () => {
    const root = mkdtempSync(join(tmpdir(), 'serial-discovery-empty-'));
    const scan = listLinuxSerialPorts({ sys: join(root, 'sys'), dev: join(root, 'dev') });
    expect(scan).toMatchObject({ available: false, ports: [] });
    expect(scan.message).toMatch(
      /serial ports cannot be listed: .*class\/tty cannot be read \(ENOENT; is sysfs mounted\?\)/,
    );
  });
});
