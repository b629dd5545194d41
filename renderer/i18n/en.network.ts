// English for hits over the network and the network settings screen; merged into `en` (kept apart so the shared file
// stays small).
export const networkEn = {
  network: {
    lead: {
      screened_one: 'Screened {{count}} casing; full CMC for the best {{fully}} (screening ≥ {{cut}})',
      screened_other: 'Screened {{count}} casings; full CMC for the best {{fully}} (screening ≥ {{cut}})',
      lr: 'log₁₀ LR {{value}} (90 %: {{low}} to {{high}})',
      lrClipped: 'log₁₀ LR {{value}} (at the model’s limit)',
    },
    hits: {
      column: 'Hit',
      theirs: 'Hit reported by {{lab}} ({{caseRef}} / {{itemRef}}) on {{date}}',
      ours: 'Reported as a hit: {{state}}',
      state: {
        queued: 'waiting to be sent',
        sending: 'sending',
        recorded: 'recorded by the hub',
        rejected: 'refused by the hub',
        dead: 'gave up',
      },
      reportsTitle: 'Hit reports to the network',
      reportsHint:
        'Hits our examiners confirmed on network leads are reported to the hub once, so the other lab learns of them.',
      reportsNone: 'No hits reported yet.',
      hitRef: 'Hit',
      stateColumn: 'State',
      reason: 'Reason',
      retry: 'Retry',
    },
  },
};
