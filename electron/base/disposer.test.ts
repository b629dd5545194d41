import { describe, expect, it } from 'vitest';
import { Disposer } from './disposer.ts';

describe('disposer', () => {
  it('stops the last added first, waiting for each step before the next', async () => {
    const order: string[] = [];
    const disposer = new Disposer(() => {});
    disposer.add('database', () => order.push('database'));
    disposer.add('search', async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('search');
    });
    disposer.add('rig', async () => {
      await new Promise((r) => setTimeout(r, 5));
      order.push('rig');
    });
    await disposer.dispose();
    expect(order).toEqual(['rig', 'search', 'database']);
  });

  it('reports a failing step and still runs the rest; disposing again waits for the same end', async () => {
    const order: string[] = [];
    const errors: string[] = [];
    const disposer = new Disposer((name, error) => errors.push(`${name}: ${(error as Error).message}`));
    disposer.add('database', () => order.push('database'));
    disposer.add('outbox', async () => {
      throw new Error('hub gone');
    });
    disposer.add('rig', () => order.push('rig'));
    const first = disposer.dispose();
    const second = disposer.dispose();
    await Promise.all([first, second]);
    expect(order).toEqual(['rig', 'database']);
    expect(errors).toEqual(['outbox: hub gone']);
    expect(() => disposer.add('late', () => {})).toThrow(/already disposed/);
  });
});
