// Calls into a worker thread: answers by id, errors by message, a dead thread fails its calls and is replaced.
// (The hub's records thread on a file that is not a database: network/hub/storage.test.ts.)
import { afterAll, describe, expect, it } from 'vitest';
import { startThread } from './threadCall.ts';

const thread = startThread(new URL('../../tests/fixtures/threadCall.worker.ts', import.meta.url), 'the test thread');
afterAll(async () => {
  await thread.close();
});

describe('thread calls', () => {
  it('answers many calls at once, each with its own value; errors come back as errors', async () => {
    const values = await Promise.all(Array.from({ length: 50 }, (_, i) => thread.call('echo', [{ i }])));
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => ({ i })));
    await expect(thread.call('fail', [])).rejects.toThrow('refused on purpose');
    await expect(thread.call('nothing', [])).rejects.toThrow('no method nothing');
  });

  it('fails the calls of a thread that died, with the reason, and starts a new one for the next call', async () => {
    const dying = thread.call('die', []);
    const queuedBehind = thread.call('echo', ['never answered']);
    await expect(dying).rejects.toThrow(/the test thread stopped \(exit code 3\)/);
    await expect(queuedBehind).rejects.toThrow(/the test thread stopped \(exit code 3\)/);
    expect(await thread.call('echo', ['after'])).toBe('after');
  });

  it('refuses calls once closed', async () => {
    const closing = startThread(
      new URL('../../tests/fixtures/threadCall.worker.ts', import.meta.url),
      'a closing thread',
    );
    await closing.close();
    await expect(closing.call('echo', [1])).rejects.toThrow('a closing thread is closed');
  });
});
