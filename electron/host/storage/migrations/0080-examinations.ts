import type { Migration } from './migration.ts';

// The examination record (issue 12): comparisons of two acquisitions, the analyses shown in them, annotations
// (current state + every revision), snapshots, conclusions, verifications, and test sets with their hidden truth.
// What is a record is written once: snapshots, analyses, revisions, conclusions (an amendment is a new row naming
// the one it amends, so the original stays as it was: ISO/IEC 17025 7.5.2), test pairs. What moves (a comparison's
// state, an annotation's current revision, a verification's progress) carries a row version for concurrent edits.
export const migration: Migration = {
  version: 80,
  name: 'examinations',
  up(db) {
    db.exec(`
      CREATE TABLE test_sets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        instructions TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open','closed')) DEFAULT 'open',
        created_by INTEGER NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        closed_at TEXT,
        version INTEGER NOT NULL DEFAULT 1
      );
      CREATE TRIGGER test_sets_no_delete BEFORE DELETE ON test_sets
        BEGIN SELECT RAISE(ABORT, 'test sets are never deleted'); END;

      -- The ground truth: only managers read it (host rule), never an examiner taking the test.
      CREATE TABLE test_pairs (
        id INTEGER PRIMARY KEY,
        test_set_id INTEGER NOT NULL REFERENCES test_sets(id),
        position INTEGER NOT NULL CHECK (position >= 1),
        acquisition_a INTEGER NOT NULL REFERENCES acquisitions(id),
        acquisition_b INTEGER NOT NULL REFERENCES acquisitions(id),
        truth TEXT NOT NULL CHECK (truth IN ('same_source','different_source')),
        UNIQUE (test_set_id, position),
        CHECK (acquisition_a <> acquisition_b)
      );
      CREATE TRIGGER test_pairs_no_update BEFORE UPDATE ON test_pairs
        BEGIN SELECT RAISE(ABORT, 'test pairs are write-once'); END;
      CREATE TRIGGER test_pairs_no_delete BEFORE DELETE ON test_pairs
        BEGIN SELECT RAISE(ABORT, 'test pairs are write-once'); END;

      CREATE TABLE comparisons (
        id INTEGER PRIMARY KEY,
        acquisition_a INTEGER NOT NULL REFERENCES acquisitions(id),
        acquisition_b INTEGER NOT NULL REFERENCES acquisitions(id),
        origin TEXT NOT NULL CHECK (origin IN ('search','lead','item','case','worklist','manual','test')),
        state TEXT NOT NULL DEFAULT 'open'
          CHECK (state IN ('open','concluded','awaiting_verification','disputed','verified')),
        opened_by INTEGER NOT NULL REFERENCES users(id),
        opened_at TEXT NOT NULL,
        -- Testing mode: the pair of the test set and the examiner taking it; the clock starts at their first opening.
        test_pair_id INTEGER REFERENCES test_pairs(id),
        participant_id INTEGER REFERENCES users(id),
        started_at TEXT,
        concluded_at TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        CHECK (acquisition_a <> acquisition_b),
        CHECK ((test_pair_id IS NULL) = (participant_id IS NULL))
      );
      -- One casework comparison per pair of acquisitions, whichever side each was opened on.
      CREATE UNIQUE INDEX comparisons_casework_pair
        ON comparisons(min(acquisition_a, acquisition_b), max(acquisition_a, acquisition_b)) WHERE test_pair_id IS NULL;
      CREATE UNIQUE INDEX comparisons_test_pair ON comparisons(test_pair_id, participant_id) WHERE test_pair_id IS NOT NULL;
      CREATE INDEX comparisons_a ON comparisons(acquisition_a);
      CREATE INDEX comparisons_b ON comparisons(acquisition_b);
      CREATE INDEX comparisons_state ON comparisons(state);
      CREATE TRIGGER comparisons_no_delete BEFORE DELETE ON comparisons
        BEGIN SELECT RAISE(ABORT, 'comparisons are never deleted'); END;
      CREATE TRIGGER comparisons_pair_fixed BEFORE UPDATE OF
          id, acquisition_a, acquisition_b, origin, opened_by, opened_at, test_pair_id, participant_id ON comparisons
        BEGIN SELECT RAISE(ABORT, 'what a comparison compares is write-once'); END;

      -- Who has been shown the first examination of a comparison (its conclusion, annotations or snapshots):
      -- such a person is no longer blind and cannot be its blind verifier.
      CREATE TABLE comparison_viewers (
        comparison_id INTEGER NOT NULL REFERENCES comparisons(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (comparison_id, user_id)
      ) WITHOUT ROWID;

      CREATE TABLE comparison_analyses (
        id INTEGER PRIMARY KEY,
        comparison_id INTEGER NOT NULL REFERENCES comparisons(id),
        ran_by INTEGER NOT NULL REFERENCES users(id),
        ran_at TEXT NOT NULL,
        algorithm_name TEXT NOT NULL,
        algorithm_version TEXT NOT NULL,
        topography_a TEXT NOT NULL,
        topography_b TEXT NOT NULL,
        result TEXT NOT NULL CHECK (json_valid(result))   -- counts, registration, cells, parameters
      );
      CREATE INDEX comparison_analyses_comparison ON comparison_analyses(comparison_id, id);
      CREATE TRIGGER comparison_analyses_no_update BEFORE UPDATE ON comparison_analyses
        BEGIN SELECT RAISE(ABORT, 'analyses are write-once'); END;
      CREATE TRIGGER comparison_analyses_no_delete BEFORE DELETE ON comparison_analyses
        BEGIN SELECT RAISE(ABORT, 'analyses are write-once'); END;

      -- role: whose work it is in the comparison (the examiner's, the verifier's, the arbiter's); it decides
      -- what a blind verifier is shown.
      CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        comparison_id INTEGER NOT NULL REFERENCES comparisons(id),
        side TEXT NOT NULL CHECK (side IN ('a','b')),
        acquisition_id INTEGER NOT NULL REFERENCES acquisitions(id),
        frame TEXT NOT NULL,
        author_id INTEGER NOT NULL REFERENCES users(id),
        role TEXT NOT NULL CHECK (role IN ('examination','verification','arbitration')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        layer TEXT NOT NULL CHECK (layer IN ('similar','dissimilar','subclass')),
        shape TEXT NOT NULL CHECK (json_valid(shape)),
        note TEXT NOT NULL,
        view TEXT CHECK (view IS NULL OR json_valid(view)),
        withdrawn_at TEXT,
        withdrawn_by INTEGER REFERENCES users(id),
        withdrawn_reason TEXT,
        revision INTEGER NOT NULL DEFAULT 1,
        version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX annotations_comparison ON annotations(comparison_id, id);
      CREATE TRIGGER annotations_no_delete BEFORE DELETE ON annotations
        BEGIN SELECT RAISE(ABORT, 'annotations are withdrawn, never deleted'); END;
      CREATE TRIGGER annotations_origin_fixed BEFORE UPDATE OF
          id, comparison_id, side, acquisition_id, frame, author_id, role, created_at ON annotations
        BEGIN SELECT RAISE(ABORT, 'where an annotation lies and whose it is are write-once'); END;

      -- Every state an annotation has had, the original (revision 1) included.
      CREATE TABLE annotation_revisions (
        annotation_id INTEGER NOT NULL REFERENCES annotations(id),
        revision INTEGER NOT NULL,
        layer TEXT NOT NULL,
        shape TEXT NOT NULL CHECK (json_valid(shape)),
        note TEXT NOT NULL,
        view TEXT CHECK (view IS NULL OR json_valid(view)),
        at TEXT NOT NULL,
        by_user INTEGER NOT NULL REFERENCES users(id),
        reason TEXT,
        withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
        PRIMARY KEY (annotation_id, revision),
        CHECK (revision = 1 OR reason IS NOT NULL)
      ) WITHOUT ROWID;
      CREATE TRIGGER annotation_revisions_no_update BEFORE UPDATE ON annotation_revisions
        BEGIN SELECT RAISE(ABORT, 'annotation revisions are write-once'); END;
      CREATE TRIGGER annotation_revisions_no_delete BEFORE DELETE ON annotation_revisions
        BEGIN SELECT RAISE(ABORT, 'annotation revisions are write-once'); END;

      CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        comparison_id INTEGER NOT NULL REFERENCES comparisons(id),
        sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
        width INTEGER NOT NULL CHECK (width > 0),
        height INTEGER NOT NULL CHECK (height > 0),
        caption TEXT NOT NULL,
        view TEXT NOT NULL CHECK (json_valid(view)),
        author_id INTEGER NOT NULL REFERENCES users(id),
        role TEXT NOT NULL CHECK (role IN ('examination','verification','arbitration')),
        created_at TEXT NOT NULL
      );
      CREATE INDEX snapshots_comparison ON snapshots(comparison_id, id);
      CREATE TRIGGER snapshots_no_update BEFORE UPDATE ON snapshots
        BEGIN SELECT RAISE(ABORT, 'snapshots are write-once'); END;
      CREATE TRIGGER snapshots_no_delete BEFORE DELETE ON snapshots
        BEGIN SELECT RAISE(ABORT, 'snapshots are write-once'); END;

      CREATE TABLE verifications (
        id INTEGER PRIMARY KEY,
        comparison_id INTEGER NOT NULL REFERENCES comparisons(id),
        state TEXT NOT NULL
          CHECK (state IN ('unassigned','assigned','agreed','disputed','arbitrating','arbitrated','canceled')),
        blind INTEGER NOT NULL CHECK (blind IN (0, 1)),
        requested_by TEXT NOT NULL CHECK (requested_by IN ('policy','request')),
        request_reason TEXT,
        requester_id INTEGER NOT NULL REFERENCES users(id),
        verifier_id INTEGER REFERENCES users(id),
        arbiter_id INTEGER REFERENCES users(id),
        arbiter_note TEXT,
        created_at TEXT NOT NULL,
        closed_at TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        CHECK (verifier_id IS NULL OR arbiter_id IS NULL OR verifier_id <> arbiter_id)
      );
      -- At most one verification in progress per comparison.
      CREATE UNIQUE INDEX verifications_live ON verifications(comparison_id)
        WHERE state IN ('unassigned','assigned','disputed','arbitrating');
      CREATE INDEX verifications_verifier ON verifications(verifier_id, state);
      CREATE INDEX verifications_arbiter ON verifications(arbiter_id, state);
      CREATE TRIGGER verifications_no_delete BEFORE DELETE ON verifications
        BEGIN SELECT RAISE(ABORT, 'verifications are never deleted'); END;

      -- A conclusion is written once. An amendment is a new row naming the one it amends (at most one amendment
      -- per row: the chain stays linear under concurrent amendments). The one in force is the row nobody amends.
      CREATE TABLE conclusions (
        id INTEGER PRIMARY KEY,
        comparison_id INTEGER NOT NULL REFERENCES comparisons(id),
        role TEXT NOT NULL CHECK (role IN ('examination','verification','arbitration')),
        verification_id INTEGER REFERENCES verifications(id),
        conclusion TEXT NOT NULL CHECK (conclusion IN
          ('identification','inconclusive_a','inconclusive_b','inconclusive_c','elimination','unsuitable')),
        basis TEXT NOT NULL CHECK (length(trim(basis)) > 0),
        examiner_id INTEGER NOT NULL REFERENCES users(id),
        recorded_at TEXT NOT NULL,
        snapshot_ids TEXT NOT NULL CHECK (json_valid(snapshot_ids)),
        annotation_refs TEXT NOT NULL CHECK (json_valid(annotation_refs)),
        record TEXT NOT NULL CHECK (json_valid(record)),     -- the technical record: acquisitions, hashes, scores shown
        amends INTEGER UNIQUE REFERENCES conclusions(id),
        reason TEXT,
        CHECK ((amends IS NULL) = (reason IS NULL)),
        CHECK ((role = 'examination') = (verification_id IS NULL))
      );
      CREATE INDEX conclusions_comparison ON conclusions(comparison_id, id);
      -- One original examination conclusion per comparison; one original per verification and role.
      CREATE UNIQUE INDEX conclusions_one_examination ON conclusions(comparison_id)
        WHERE role = 'examination' AND amends IS NULL;
      CREATE UNIQUE INDEX conclusions_one_per_verification ON conclusions(verification_id, role)
        WHERE verification_id IS NOT NULL AND amends IS NULL;
      CREATE TRIGGER conclusions_no_update BEFORE UPDATE ON conclusions
        BEGIN SELECT RAISE(ABORT, 'conclusions are write-once: amend with a new record'); END;
      CREATE TRIGGER conclusions_no_delete BEFORE DELETE ON conclusions
        BEGIN SELECT RAISE(ABORT, 'conclusions are write-once: amend with a new record'); END;
    `);
  },
};
