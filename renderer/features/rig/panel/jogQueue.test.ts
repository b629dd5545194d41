import { describe, expect, it } from 'vitest';
import { JogQueue, type JogRequest } from './jogQueue.ts';

function controlled() {
  const sent: JogRequest[] = [];
  let release: (ok: boolean) => void = () => undefined;
  const send = (r: JogRequest) => {
    sent.push(r);
    return new Promise<boolean>((resolve) => (release = resolve));
  };
  return { sent, send, finish: (ok = true) => release(ok) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('jog queue', () => {
  it('sends one move at a time and adds up presses made meanwhile into one follow-up', async () => {
    const c = controlled();
    const q = new JogQueue(c.send, (r) => r.delta);
    const done = q.jog({ axis: 'z', delta: 1 });
    void q.jog({ axis: 'z', delta: 1 });
    void q.jog({ axis: 'z', delta: 1 });
    expect(c.sent).toEqual([{ axis: 'z', delta: 1 }]);
    c.finish();
    await tick();
    expect(c.sent).toEqual([
      { axis: 'z', delta: 1 },
      { axis: 'z', delta: 2 },
    ]);
    c.finish();
    await done;
    expect(q.moving).toBe(false);
  });

  it('drops queued presses when a move fails', async () => {
    const c = controlled();
    const q = new JogQueue(c.send, (r) => r.delta);
    const done = q.jog({ axis: 'z', delta: 1 });
    void q.jog({ axis: 'z', delta: 1 });
    c.finish(false);
    await done;
    expect(c.sent).toHaveLength(1);
  });

  it('skips a move the limits reduce to nothing', async () => {
    const c = controlled();
    const q = new JogQueue(c.send, () => 0);
    await q.jog({ axis: 'z', delta: 1 });
    expect(c.sent).toHaveLength(0);
  });

  it('lets the newest axis win while moving and forgets the queue on clear', async () => {
    const c = controlled();
    const q = new JogQueue(c.send, (r) => r.delta);
    const done = q.jog({ axis: 'z', delta: 1 });
    void q.jog({ axis: 'z', delta: 1 });
    void q.jog({ axis: 'r', delta: 15 });
    c.finish();
    await tick();
    expect(c.sent[1]).toEqual({ axis: 'r', delta: 15 });
    void q.jog({ axis: 'r', delta: 15 });
    q.clear();
    c.finish();
    await done;
    expect(c.sent).toHaveLength(2);
  });
});
