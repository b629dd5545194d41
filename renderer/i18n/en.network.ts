// English for hits over the network and the network settings screen; merged into `en` (kept apart so the shared file
// stays small).
export const networkEn = {
  networkSetup: {
    title: 'Network settings',
    loadFile: 'Load from a file… ({{what}})',
    loadFileShort: 'Load from a file…',
    installed: 'Credentials installed: the station uses them now.',
    status: {
      title: 'This station in the network',
      ready: 'Ready to send',
      notReady: 'Not set up: cannot send',
      hub: 'Hub: {{url}}',
      noHub: 'No hub address: submissions are kept for a bundle.',
      identity: 'Lab {{lab}}, station {{station}}',
      validity: 'Certificate valid from {{from}} to {{to}}',
      fingerprint: 'SHA-256 fingerprint {{value}}',
      noCertificate: 'No certificate installed.',
      ca: 'Network CA: {{subject}} (valid to {{to}})',
    },
    certificateState: {
      none: 'No certificate',
      valid: 'Certificate valid',
      expired: 'Certificate expired',
      not_yet_valid: 'Certificate not yet valid',
      unusable: 'Credentials unusable',
    },
    hub: {
      title: 'Hub address',
      url: 'Hub URL',
      httpsOnly: 'The hub’s address must start with https:// (stations reach it over TLS only).',
      help: 'The https address the network operator gave you.',
      save: 'Save address',
      saved: 'Hub address saved.',
    },
    enroll: {
      title: 'Enroll with the network CA',
      help: 'Create this station’s keys and a certificate request; send the request to the network operator, then install the certificate they issue. The keys never leave this station.',
      labId: 'Lab ID',
      stationId: 'Station ID',
      create: 'Create key and request',
      waiting: 'Request for lab {{lab}}, station {{station}} made on {{date}}: waiting for the certificate.',
      request: 'Certificate request (send this to the network operator)',
      copy: 'Copy request',
      copied: 'Copied',
      download: 'Download request file',
      installTitle: 'Install the issued certificate',
      install: 'Install certificate',
    },
    field: {
      certificate: 'Station certificate (PEM)',
      ca: 'Network CA certificate (PEM)',
      tlsKey: 'TLS private key (PEM)',
      signingKey: 'Signing key (PEM)',
    },
    import: {
      title: 'Import certificate and keys',
      help: 'When the network operator made the keys for you: paste or load all four files.',
      submit: 'Import credentials',
    },
    test: {
      title: 'Test the connection',
      help: 'Connects to the hub as submissions will: TLS, the hub’s certificate, the clocks, the protocol version and a signed request.',
      run: 'Test connection',
      ok: 'The connection works',
      failed: 'The connection does not work',
      at: 'Tested {{date}}',
    },
    check: {
      settings: 'Settings',
      connection: 'Connection (TLS)',
      hub_certificate: 'Hub certificate',
      clock: 'Clock offset',
      protocol: 'Protocol version',
      identity: 'Station accepted',
    },
    problem: {
      unreadable_certificate: 'the certificate is not a readable X.509 certificate',
      foreign_issuer: 'the certificate was not issued by the network CA',
      not_yet_valid: 'the certificate is not valid yet',
      expired: 'the certificate has expired',
      no_identity: 'the certificate names no lab (O) or no station (OU)',
      not_station: 'it is not a station certificate (not made for a client)',
      tls_key_unreadable: 'the TLS key is not a readable private key (PEM)',
      signing_key_unreadable: 'the signing key is not a readable private key (PEM)',
      tls_key_mismatch: 'the certificate was not made for this TLS key (it belongs to another request or station)',
      signing_key_mismatch: 'the certificate names another signing key than this one',
      no_ca: 'no network CA certificate is installed',
      unreadable_ca: 'the CA certificate is not a readable X.509 certificate (PEM)',
    },
    unreachable: {
      refused: 'the hub refused the connection or closed it',
      not_found: 'the hub’s host name is not known',
      timeout: 'the hub did not answer in time',
      certificate: 'the hub’s certificate is not trusted (another CA, expired, or another name)',
      other: 'the connection failed',
    },
    detail: {
      hubUrl: 'hub {{url}}, credentials installed',
      noHub: 'no hub address is set',
      credentials: 'the installed credentials cannot be used: {{problem}}',
      unreachable: '{{reason}} (the system said: {{said}})',
      tls: 'TLS to {{host}}',
      hubIssued: 'hub {{hub}}, issued by the network CA',
      clockOffset: 'the hub’s clock minus this station’s: {{seconds}} s',
      versions: 'hub {{hub}}, station {{station}}',
      unknownVersion: 'unknown',
      accepted: 'the hub accepts this station’s signed requests',
      refused: 'the hub refused this station’s signed request: {{said}}',
      refusedCode: 'the hub refused this station’s signed request ({{code}}): {{said}}',
    },
  },
  network: {
    lead: {
      screened_one: 'Screened {{count}} casing; full CMC for the best {{fully}} (screening ≥ {{cut}})',
      screened_other: 'Screened {{count}} casings; full CMC for the best {{fully}} (screening ≥ {{cut}})',
      screenedChecked_one:
        'Screened {{count}} casing; registration check for the best {{registered}} by signature (signature ≥ {{cut}}); full CMC for the best {{fully}} of those by registration.',
      screenedChecked_other:
        'Screened {{count}} casings; registration check for the best {{registered}} by signature (signature ≥ {{cut}}); full CMC for the best {{fully}} of those by registration.',
      missRate:
        'A known match is expected to fall below this cut in about {{missRate}} of correlations ({{reference}}).',
      missRateBeyondReference:
        'At this many casings the reference ({{reference}}) cannot estimate how often a known match falls below this cut: somewhere between {{low}} and {{high}} of correlations.',
      place: 'This casing: {{rank}} by signature.',
      placeRegistered: 'This casing: {{rank}} by signature, registration score {{registration}}.',
      foundBy: 'Found when their casing was searched (the figures of that search, not of one of ours):',
      placeOurs: 'Ours: {{rank}} by signature.',
      placeOursRegistered: 'Ours: {{rank}} by signature, registration score {{registration}}.',
      lr: 'log₁₀ LR {{value}} (90 %: {{low}} to {{high}})',
      lrClipped: 'log₁₀ LR {{value}} (at the model’s limit)',
    },
    /** The hub's correlation notes by code (contract/network.ts hubNoteCodes). */
    hubNote: {
      no_topography: 'This casing has no X3P topography: the hub compares topographies only.',
      query_unreadable: 'The hub could not analyse this casing’s X3P file.',
      candidates_without_topography: 'Casings of other labs without an X3P topography, not compared: {{count}}.',
      candidate_unreadable:
        'The hub could not analyse another lab’s casing (hub number {{candidate}}): it was not compared.',
      candidate_not_compared:
        'The comparison with another lab’s casing (hub number {{candidate}}) failed: it gives no lead.',
      candidate_missing_x3p:
        'Another lab’s casing (hub number {{candidate}}) was left out: the hub no longer holds its X3P file (the hub’s operator should check its artifact store).',
      features_unreadable: 'The hub could not read the screening signature this station sent; it used its own.',
      features_other_topography:
        'The screening signature this station sent is of another topography; the hub used its own.',
      features_other_parameters:
        'The screening signature this station sent was made with other parameters or another engine version than the hub’s; the hub used its own.',
      features_differ:
        'The screening signature this station sent differs from the hub’s for the same topography: this station’s analysis engine does not compute what the hub’s does, so its local searches may rank differently.',
      date_range:
        'Only casings recovered between {{from}} and {{to}}, or undated, were screened (the hub’s correlation date range).',
      unusable_signatures:
        'Casings of {{calibre}} ({{region}}) from other labs without a usable screening signature (no X3P, unreadable, or not analysed yet), not screened: {{count}}.',
      more_notes: 'The hub holds {{count}} more notes on this correlation.',
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
