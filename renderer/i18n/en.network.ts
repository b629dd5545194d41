// English for hits over the network and the network settings screen; merged into `en` (kept apart so the shared file
// stays small).
export const networkEn = {
  network: {
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
