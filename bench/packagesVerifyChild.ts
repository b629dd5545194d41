// Verifies one package in this process and prints the result with the process's peak resident memory, so the
// packages bench measures verification alone (node bench/packagesVerifyChild.ts PACKAGE CA.crt).
import { readFileSync } from 'node:fs';
import { verifyPackage } from '../electron/host/services/packages/verifyPackage.ts';

const [path, caPath] = process.argv.slice(2);
const result = await verifyPackage(path!, { trustedCas: [readFileSync(caPath!, 'utf8')] });
// resourceUsage().maxRSS is in kilobytes (the kernel's peak for this process).
process.stdout.write(
  `${JSON.stringify({
    ok: result.ok,
    problem: result.problem?.message ?? null,
    tookMs: result.tookMs,
    bytesChecked: result.bytesChecked,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
