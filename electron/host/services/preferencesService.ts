// A user's own preferences. The language is the one the UI shows them and the one reports and packages they make are
// written in (`languageOf`); 'en' for users who never chose.
import type { preferencesCalls, LanguageCode } from '../../contract/preferences.ts';
import type { CallHandlers } from '../rpc/handlers.ts';
import type { Db } from '../storage/database.ts';
import type { AuditRepo } from '../storage/repos/auditRepo.ts';
import { UserSettingsRepo } from '../storage/repos/userSettingsRepo.ts';

export class PreferencesService {
  private readonly db: Db;
  private readonly audit: AuditRepo;
  private readonly settings: UserSettingsRepo;

  constructor(db: Db, audit: AuditRepo) {
    this.db = db;
    this.audit = audit;
    this.settings = new UserSettingsRepo(db);
  }

  /** The language to write in for this user (reports, packages): their choice, else English. */
  languageOf(userId: number | null): LanguageCode {
    return (userId === null ? null : this.settings.language(userId)) ?? 'en';
  }

  handlers(): CallHandlers<typeof preferencesCalls> {
    return {
      'preferences.get': (_input, ctx) => ({ language: this.settings.language(ctx.session!.user.id) }),
      'preferences.setLanguage': (input, ctx) => {
        const user = ctx.session!.user;
        this.db.transaction(() => {
          const before = this.settings.language(user.id);
          if (before === input.language) return;
          this.settings.setLanguage(user.id, input.language, new Date().toISOString());
          this.audit.append(
            { userId: user.id, username: user.username },
            {
              action: 'user.set_language',
              entityType: 'user',
              entityId: user.id,
              before: { language: before },
              after: { language: input.language },
            },
          );
        })();
        return {};
      },
    };
  }
}
