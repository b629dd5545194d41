import type { Db } from '../database.ts';
import type { LanguageCode } from '../../../contract/preferences.ts';

// Each user's own settings (table user_settings, migration 110). The service validates and audits.
export class UserSettingsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  language(userId: number): LanguageCode | null {
    return (
      (this.db.prepare('SELECT language FROM user_settings WHERE user_id = ?').pluck().get(userId) as
        LanguageCode | null | undefined) ?? null
    );
  }

  setLanguage(userId: number, language: LanguageCode, at: string): void {
    this.db
      .prepare(
        `INSERT INTO user_settings (user_id, language, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at`,
      )
      .run(userId, language, at);
  }
}
