// A model of a CoolLED pE-4000 controller's serial behaviour: greeting, CSS status, per-channel intensity,
// on/off and selection, model and wavelength queries. Replies end in CR LF.
import { coolLedChannels, formatChannelStatus, type CoolLedChannelState } from '../protocols/coolLed.ts';

const wavelengths = ['365', '460', '550', '635'];

export class CoolLedFirmware {
  readonly channels: CoolLedChannelState[] = coolLedChannels.map((channel) => ({
    channel,
    selected: true,
    on: false,
    intensity: 0,
  }));
  private line = '';
  private readonly send: (text: string) => void;

  constructor(send: (text: string) => void) {
    this.send = send;
  }

  boot(): void {
    this.send('CoolLED precisExcite\r\nHello, pE-4000\r\n');
  }

  tick(): void {}

  receive(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (byte === 0x0d || byte === 0x0a) {
        const command = this.line.trim().toUpperCase();
        this.line = '';
        if (command) this.execute(command);
      } else if (this.line.length < 64) {
        this.line += String.fromCharCode(byte);
      }
    }
  }

  private status(): void {
    this.send(formatChannelStatus(this.channels) + '\r\n');
  }

  private execute(command: string): void {
    if (command === 'CSS?') return this.status();
    if (command === 'XMODEL') return this.send('XMODEL:pE-4000\r\n');
    if (command === 'XVER') return this.send('XVER:MB 1.9.0\r\n');
    if (command === 'LAMS')
      return this.send(this.channels.map((c, i) => `LAM:${c.channel}:${wavelengths[i]}\r\n`).join(''));
    if (command === 'CSN' || command === 'CSF') {
      for (const c of this.channels) if (c.selected) c.on = command === 'CSN';
      return this.status();
    }
    const match = /^C([A-D])(?:(I)(\d{1,3})|([NFSX])|(\?))$/.exec(command);
    if (!match) return this.send(`ERROR:${command}\r\n`);
    const channel = this.channels.find((c) => c.channel === match[1])!;
    if (match[5]) return this.send(`C${channel.channel}${String(channel.intensity).padStart(3, '0')}\r\n`);
    if (match[2]) {
      const value = Number(match[3]);
      if (value > 100) return this.send(`ERROR:${command}\r\n`);
      channel.intensity = value;
    } else if (match[4] === 'N' || match[4] === 'F') channel.on = match[4] === 'N';
    else channel.selected = match[4] === 'S';
    this.status();
  }
}
