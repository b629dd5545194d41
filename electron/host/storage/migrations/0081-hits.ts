import type { Migration } from './migration.ts';

// Hits: a verified identification that links two cases. Local hits name both cases of this lab; a network hit
// names this lab's case and the other lab's references from the lead, and the outbox job that reports it to the
// hub (inserted in the same transaction, so it is reported exactly once). Written once (the report's job id is
// filled in once, right after the insert, in the same transaction).
export const migration: Migration = {
  version: 81,
  name: 'hits',
  up(db) {
    db.exec(`
      CREATE TABLE hits (
        id INTEGER PRIMARY KEY,
        comparison_id INTEGER NOT NULL UNIQUE REFERENCES comparisons(id),
        conclusion_id INTEGER NOT NULL REFERENCES conclusions(id),
        case_a INTEGER NOT NULL REFERENCES cases(id),
        -- the other case of this lab; NULL for a network hit (the other case is another lab's)
        case_b INTEGER REFERENCES cases(id),
        network_job_id INTEGER REFERENCES outbox_jobs(id),
        network_lead_id INTEGER,
        network_refs TEXT CHECK (network_refs IS NULL OR json_valid(network_refs)),
        report_job_id INTEGER,                 -- the outbox job reporting a network hit (hub helper's job kind)
        confirmed_by INTEGER NOT NULL REFERENCES users(id),
        confirmed_at TEXT NOT NULL,
        note TEXT,
        CHECK ((case_b IS NULL) = (network_job_id IS NOT NULL)),
        CHECK ((network_job_id IS NULL) = (network_lead_id IS NULL)),
        CHECK ((network_job_id IS NULL) = (network_refs IS NULL))
      );
      CREATE INDEX hits_case_a ON hits(case_a);
      CREATE INDEX hits_case_b ON hits(case_b);
      CREATE UNIQUE INDEX hits_network_lead ON hits(network_job_id, network_lead_id) WHERE network_job_id IS NOT NULL;
      -- Write-once, except that the report job is named once, in the hit's own transaction (its reference is the hit id).
      CREATE TRIGGER hits_no_update BEFORE UPDATE OF id, comparison_id, conclusion_id, case_a, case_b, network_job_id,
          network_lead_id, network_refs, confirmed_by, confirmed_at, note ON hits
        BEGIN SELECT RAISE(ABORT, 'hits are write-once'); END;
      CREATE TRIGGER hits_report_once BEFORE UPDATE OF report_job_id ON hits
        WHEN OLD.report_job_id IS NOT NULL OR NEW.network_job_id IS NULL
        BEGIN SELECT RAISE(ABORT, 'hits are write-once'); END;
      CREATE TRIGGER hits_no_delete BEFORE DELETE ON hits
        BEGIN SELECT RAISE(ABORT, 'hits are write-once'); END;
    `);
  },
};
