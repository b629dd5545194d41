// العربية للتطابقات عبر الشبكة وشاشة إعدادات الشبكة؛ تُدمج في `ar`.
import type { Messages } from './keys.ts';

export const networkAr: Messages = {
  network: {
    lead: {
      screened_zero: 'لم تُفحص أي ظروف ({{count}})؛ مقارنة CMC كاملة لأفضل {{fully}} (الفحص ≥ {{cut}})',
      screened_one: 'فُحص ظرف واحد ({{count}})؛ مقارنة CMC كاملة لأفضل {{fully}} (الفحص ≥ {{cut}})',
      screened_two: 'فُحص ظرفان ({{count}})؛ مقارنة CMC كاملة لأفضل {{fully}} (الفحص ≥ {{cut}})',
      screened_few: 'فُحصت {{count}} ظروف؛ مقارنة CMC كاملة لأفضل {{fully}} (الفحص ≥ {{cut}})',
      screened_many: 'فُحص {{count}} ظرفًا؛ مقارنة CMC كاملة لأفضل {{fully}} (الفحص ≥ {{cut}})',
      screened_other: 'فُحص {{count}} ظرف؛ مقارنة CMC كاملة لأفضل {{fully}} (الفحص ≥ {{cut}})',
      lr: 'log₁₀ نسبة الأرجحية {{value}} (90 %: من {{low}} إلى {{high}})',
      lrClipped: 'log₁₀ نسبة الأرجحية {{value}} (عند حد النموذج)',
    },
    hits: {
      column: 'التطابق',
      theirs: 'تطابق أبلغ عنه {{lab}} ({{caseRef}} / {{itemRef}}) بتاريخ {{date}}',
      ours: 'أُبلغ عنه كتطابق: {{state}}',
      state: {
        queued: 'في انتظار الإرسال',
        sending: 'جارٍ الإرسال',
        recorded: 'سجّله المركز',
        rejected: 'رفضه المركز',
        dead: 'توقفت المحاولات',
      },
      reportsTitle: 'التطابقات المُبلغ عنها إلى الشبكة',
      reportsHint: 'تُبلَّغ التطابقات التي أكدها خبراؤنا على خيوط الشبكة إلى المركز مرة واحدة، ليعلم بها المختبر الآخر.',
      reportsNone: 'لم يُبلَّغ عن أي تطابق بعد.',
      hitRef: 'التطابق',
      stateColumn: 'الحالة',
      reason: 'السبب',
      retry: 'إعادة المحاولة',
    },
  },
};
