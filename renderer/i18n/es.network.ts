// Español para las coincidencias en la red y la pantalla de ajustes de red; se fusiona en `es`.
import type { Messages } from './keys.ts';

export const networkEs: Messages = {
  network: {
    lead: {
      screened_one: '{{count}} vaina cribada; CMC completo para las {{fully}} mejores (cribado ≥ {{cut}})',
      screened_many: '{{count}} vainas cribadas; CMC completo para las {{fully}} mejores (cribado ≥ {{cut}})',
      screened_other: '{{count}} vainas cribadas; CMC completo para las {{fully}} mejores (cribado ≥ {{cut}})',
      lr: 'log₁₀ RV {{value}} (90 %: {{low}} a {{high}})',
      lrClipped: 'log₁₀ RV {{value}} (en el límite del modelo)',
    },
    hits: {
      column: 'Coincidencia',
      theirs: 'Coincidencia notificada por {{lab}} ({{caseRef}} / {{itemRef}}) el {{date}}',
      ours: 'Notificada como coincidencia: {{state}}',
      state: {
        queued: 'esperando envío',
        sending: 'enviando',
        recorded: 'registrada por el hub',
        rejected: 'rechazada por el hub',
        dead: 'abandonada',
      },
      reportsTitle: 'Coincidencias notificadas a la red',
      reportsHint:
        'Las coincidencias que nuestros peritos confirmaron en pistas de la red se notifican una vez al hub, para que el otro laboratorio las conozca.',
      reportsNone: 'Aún no se ha notificado ninguna coincidencia.',
      hitRef: 'Coincidencia',
      stateColumn: 'Estado',
      reason: 'Motivo',
      retry: 'Reintentar',
    },
  },
};
