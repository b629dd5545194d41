// Français pour les rapprochements sur le réseau et l’écran des réglages réseau ; fusionné dans `fr`.
import type { Messages } from './keys.ts';

export const networkFr: Messages = {
  network: {
    lead: {
      screened_one: '{{count}} douille criblée ; CMC complet pour les {{fully}} meilleures (criblage ≥ {{cut}})',
      screened_many: '{{count}} douilles criblées ; CMC complet pour les {{fully}} meilleures (criblage ≥ {{cut}})',
      screened_other: '{{count}} douilles criblées ; CMC complet pour les {{fully}} meilleures (criblage ≥ {{cut}})',
      lr: 'log₁₀ RV {{value}} (90 % : {{low}} à {{high}})',
      lrClipped: 'log₁₀ RV {{value}} (à la limite du modèle)',
    },
    hits: {
      column: 'Rapprochement',
      theirs: 'Rapprochement signalé par {{lab}} ({{caseRef}} / {{itemRef}}) le {{date}}',
      ours: 'Signalé comme rapprochement : {{state}}',
      state: {
        queued: 'en attente d’envoi',
        sending: 'envoi en cours',
        recorded: 'enregistré par le hub',
        rejected: 'refusé par le hub',
        dead: 'abandonné',
      },
      reportsTitle: 'Rapprochements signalés au réseau',
      reportsHint:
        'Les rapprochements que nos experts ont confirmés sur des pistes du réseau sont signalés une fois au hub, pour que l’autre laboratoire en soit informé.',
      reportsNone: 'Aucun rapprochement signalé pour l’instant.',
      hitRef: 'Rapprochement',
      stateColumn: 'État',
      reason: 'Motif',
      retry: 'Réessayer',
    },
  },
};
