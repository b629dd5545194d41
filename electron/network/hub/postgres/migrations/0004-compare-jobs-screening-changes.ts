import type { HubMigration } from '../migrate.ts';

// Full comparison as jobs of their own, and what workers need to keep screened casings in memory.
//  - 'compare' jobs: one per candidate pair that gets full CMC (`part` numbers them), children of the correlate job
//    like 'screen' jobs, so every worker's analysis threads share the comparisons of one correlation.
//  - `screening_xid`: the transaction that last changed whether or how a submission is screened (it committed, or
//    its X3P's signature was stored or replaced; correlated afterwards changes nothing), set by triggers so no writer can forget it. A worker that read
//    the population at a snapshot reads again only rows whose xid is at least that snapshot's xmin: every change it
//    could not see then has such an xid, whatever order transactions commit in.
export const migration: HubMigration = {
  version: 4,
  name: 'compare-jobs-screening-changes',
  async up(client) {
    await client.query(`
      ALTER TABLE correlation_jobs DROP CONSTRAINT correlation_jobs_kind_check;
      ALTER TABLE correlation_jobs ADD CONSTRAINT correlation_jobs_kind_check
        CHECK (kind IN ('correlate','screen','compare'));

      ALTER TABLE submissions ADD COLUMN screening_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
      CREATE INDEX submissions_screening_changes ON submissions (calibre, region, screening_xid);
      CREATE INDEX submissions_x3p ON submissions (x3p_sha256);

      CREATE FUNCTION submissions_screening_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.screening_xid := pg_current_xact_id();
        RETURN NEW;
      END $$;
      CREATE TRIGGER submissions_screening_changed BEFORE UPDATE OF state ON submissions
        FOR EACH ROW WHEN (OLD.state = 'open' AND NEW.state <> 'open') EXECUTE FUNCTION submissions_screening_changed();

      CREATE FUNCTION signatures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE submissions s SET screening_xid = pg_current_xact_id()
        FROM changed c WHERE s.x3p_sha256 = c.x3p_sha256;
        RETURN NULL;
      END $$;
      CREATE TRIGGER signatures_inserted AFTER INSERT ON signatures REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION signatures_changed();
      CREATE TRIGGER signatures_updated AFTER UPDATE ON signatures REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION signatures_changed();
    `);
  },
};
