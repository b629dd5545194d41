// The hub's route table and the published API say the same: every route is in docs/network-openapi.yaml and
// every operation there has its route (docs/engineering.md, "Adding a network message").
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../tests/fixtures/sharedData.ts';
import { hitRoutes, submissionRoutes, type Route } from './routes.ts';
import type { Hits } from './hits.ts';
import type { Submissions } from './submissions.ts';
import type { Uploads } from './uploads.ts';

// Only the table's methods and paths are read here; no handler runs.
const routes: Route[] = [
  ...submissionRoutes({ hubId: 'hub', now: Date.now }, {} as Submissions, {} as Uploads),
  ...hitRoutes({} as Hits),
];

/** (method, path) of every operation in the OpenAPI file, e.g. ['PUT', '/v1/submissions/{submissionId}/…']. */
function documentedOperations(): [string, string][] {
  const operations: [string, string][] = [];
  let path: string | undefined;
  for (const line of readFileSync(join(repoRoot, 'docs', 'network-openapi.yaml'), 'utf8').split('\n')) {
    const pathLine = /^ {2}(\/\S*):\s*$/.exec(line);
    if (pathLine) path = pathLine[1];
    const methodLine = /^ {4}(get|head|post|put|delete|patch):\s*$/.exec(line);
    if (methodLine && path) operations.push([methodLine[1]!.toUpperCase(), path]);
  }
  return operations;
}

/** A concrete URL for a documented path: each {parameter} filled with a value of its kind. */
function exampleUrl(path: string): string {
  const values: Record<string, string> = {
    submissionId: '5d1c0e7a-3f2b-4c6d-8e9f-0a1b2c3d4e5f',
    sha256: 'a'.repeat(64),
    leadId: '7',
  };
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no example value for {${name}} in ${path}: add one here`);
    return values[name]!;
  });
}

const routeFor = (method: string, url: string) => routes.find((r) => r.method === method && r.path.test(url));

describe('hub routes and the OpenAPI file', () => {
  const documented = documentedOperations();

  it('has a route for every documented operation', () => {
    expect(documented.length).toBeGreaterThanOrEqual(9);
    const missing = documented.filter(([method, path]) => !routeFor(method, exampleUrl(path)));
    expect(missing).toEqual([]);
  });

  it('documents every route', () => {
    const undocumented = routes.filter(
      (route) => !documented.some(([method, path]) => method === route.method && route.path.test(exampleUrl(path))),
    );
    expect(undocumented.map((r) => `${r.method} ${r.path.source}`)).toEqual([]);
  });
});
