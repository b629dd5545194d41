import { z } from 'zod';
import { defineCall } from './rpc.ts';

/** The languages the station speaks (INTERPOL's four); the UI, reports and packages follow the user's choice. */
export const languageCodes = ['en', 'fr', 'es', 'ar'] as const;
export type LanguageCode = (typeof languageCodes)[number];

export const preferencesCalls = {
  /** The signed-in user's own preferences; `language` is null until they choose one. */
  'preferences.get': defineCall({
    permission: 'signedIn',
    input: z.object({}),
    output: z.object({ language: z.enum(languageCodes).nullable() }),
  }),
  /** Sets the signed-in user's language (audited). */
  'preferences.setLanguage': defineCall({
    permission: 'signedIn',
    input: z.object({ language: z.enum(languageCodes) }),
    output: z.object({}),
  }),
};
