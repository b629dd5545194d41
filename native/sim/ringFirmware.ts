// Reference firmware model of the Casebench ring-light controller (docs/protocols/casebench-ring.md): the
// behaviour a microcontroller implementation must show, including its error replies.
import {
  RingDecoder,
  encodeHello,
  encodeLevels,
  encodeRingFrame,
  ringCommands,
  ringMaxLevel,
  type RingFrame,
} from '../protocols/casebenchRing.ts';

export class RingFirmware {
  readonly levels: number[];
  overTemperature = false;
  private readonly decoder = new RingDecoder();
  private readonly send: (bytes: Uint8Array) => void;

  constructor(send: (bytes: Uint8Array) => void, segments = 8) {
    this.send = send;
    this.levels = new Array<number>(segments).fill(0);
  }

  boot(): void {}
  tick(): void {}

  receive(bytes: Uint8Array): void {
    for (const event of this.decoder.push(bytes)) {
      if ('frame' in event) this.execute(event.frame);
      else if (event.error.startsWith('checksum')) this.reply(0, ringCommands.error, Uint8Array.of(1));
    }
  }

  private reply(seq: number, cmd: number, payload: Uint8Array): void {
    this.send(encodeRingFrame({ seq, cmd: cmd | 0x80, payload }));
  }

  private execute({ seq, cmd, payload }: RingFrame): void {
    const error = (code: number) => this.reply(seq, ringCommands.error, Uint8Array.of(code, cmd));
    if (this.overTemperature && cmd === ringCommands.setLevels) return error(5);
    switch (cmd) {
      case ringCommands.hello:
        if (payload.length !== 0) return error(3);
        return this.reply(
          seq,
          cmd,
          encodeHello({
            protocolVersion: 1,
            segments: this.levels.length,
            maxLevel: ringMaxLevel,
            firmware: 'casebench-ring-sim 1.0',
          }),
        );
      case ringCommands.setLevels: {
        if (payload.length < 2 || payload.length !== 2 + payload[1] * 2) return error(3);
        const first = payload[0];
        const count = payload[1];
        if (count === 0 || first + count > this.levels.length) return error(4);
        const values = Array.from({ length: count }, (_, i) => (payload[2 + i * 2] << 8) | payload[3 + i * 2]);
        if (values.some((v) => v > ringMaxLevel)) return error(4);
        values.forEach((v, i) => (this.levels[first + i] = v));
        return this.reply(seq, cmd, encodeLevels(this.levels));
      }
      case ringCommands.getLevels:
        if (payload.length !== 0) return error(3);
        return this.reply(seq, cmd, encodeLevels(this.levels));
      case ringCommands.allOff:
        this.levels.fill(0);
        return this.reply(seq, cmd, encodeLevels(this.levels));
      default:
        return error(2);
    }
  }
}
