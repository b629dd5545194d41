import type { HubMigration } from '../migrate.ts';

// The registration check as jobs of their own: between the screening and full CMC, the signature's best casings are
// registered against the query (the coarse 360° registration, about a quarter of a comparison each) in 'register'
// jobs of a few pairs each, children of the correlate job like 'screen' and 'compare' jobs; full CMC then goes to
// the best by registration score.
export const migration: HubMigration = {
  version: 6,
  name: 'register-jobs',
  async up(client) {
    await client.query(`
      ALTER TABLE correlation_jobs DROP CONSTRAINT correlation_jobs_kind_check;
      ALTER TABLE correlation_jobs ADD CONSTRAINT correlation_jobs_kind_check
        CHECK (kind IN ('correlate','screen','register','compare'));
    `);
  },
};
