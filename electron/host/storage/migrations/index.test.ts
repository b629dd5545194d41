import { describe, expect, it } from 'vitest';
import { migrations } from './index.ts';

// Stations in the field are at the highest version they applied; migrate() runs only versions above it.
// So the shipped list may only grow at its end. Add a new migration's version here when it ships.
const shipped = [1, 2, 30, 31, 40, 50, 51, 52];
// Migrations of the release being made (helpers land them in parallel, each in its own number range, so their order
// among each other is settled only when the release ships): each must stay in the list, in version order.
const releasing = [60, 61, 80, 81, 90, 100, 110, 111, 112, 113, 114];

describe('migration list', () => {
  it('only grows at the end: nothing is inserted below a shipped version', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions.slice(0, shipped.length)).toEqual(shipped);
    for (const version of versions.slice(shipped.length)) expect(version).toBeGreaterThan(shipped[shipped.length - 1]);
  });

  it('keeps the releasing migrations, sorted by version', () => {
    const versions = migrations.map((m) => m.version);
    for (const version of releasing) expect(versions).toContain(version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });
});
