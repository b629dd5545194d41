// Français pour les rapprochements sur le réseau et l’écran des réglages réseau ; fusionné dans `fr`.
import type { Messages } from './keys.ts';

export const networkFr: Messages = {
  networkSetup: {
    title: 'Paramètres réseau',
    loadFile: 'Charger depuis un fichier… ({{what}})',
    loadFileShort: 'Charger depuis un fichier…',
    installed: 'Identifiants installés : la station les utilise dès maintenant.',
    status: {
      title: 'Cette station dans le réseau',
      ready: 'Prête à envoyer',
      notReady: 'Non configurée : envoi impossible',
      hub: 'Hub : {{url}}',
      noHub: 'Pas d’adresse de hub : les envois sont gardés pour un lot.',
      identity: 'Laboratoire {{lab}}, station {{station}}',
      validity: 'Certificat valide du {{from}} au {{to}}',
      fingerprint: 'Empreinte SHA-256 {{value}}',
      noCertificate: 'Aucun certificat installé.',
      ca: 'AC du réseau : {{subject}} (valide jusqu’au {{to}})',
    },
    certificateState: {
      none: 'Pas de certificat',
      valid: 'Certificat valide',
      expired: 'Certificat expiré',
      not_yet_valid: 'Certificat pas encore valide',
      unusable: 'Identifiants inutilisables',
    },
    hub: {
      title: 'Adresse du hub',
      url: 'URL du hub',
      httpsOnly: 'L’adresse du hub doit commencer par https:// (les stations ne le joignent qu’en TLS).',
      help: 'L’adresse https fournie par l’opérateur du réseau.',
      save: 'Enregistrer l’adresse',
      saved: 'Adresse du hub enregistrée.',
    },
    enroll: {
      title: 'Inscription auprès de l’AC du réseau',
      help: 'Créez les clés de cette station et une demande de certificat ; envoyez la demande à l’opérateur du réseau, puis installez le certificat qu’il délivre. Les clés ne quittent jamais cette station.',
      labId: 'ID du laboratoire',
      stationId: 'ID de la station',
      create: 'Créer la clé et la demande',
      waiting:
        'Demande pour le laboratoire {{lab}}, station {{station}}, faite le {{date}} : en attente du certificat.',
      request: 'Demande de certificat (à envoyer à l’opérateur du réseau)',
      copy: 'Copier la demande',
      copied: 'Copié',
      download: 'Télécharger le fichier de demande',
      installTitle: 'Installer le certificat délivré',
      install: 'Installer le certificat',
    },
    field: {
      certificate: 'Certificat de la station (PEM)',
      ca: 'Certificat de l’AC du réseau (PEM)',
      tlsKey: 'Clé privée TLS (PEM)',
      signingKey: 'Clé de signature (PEM)',
    },
    import: {
      title: 'Importer certificat et clés',
      help: 'Si l’opérateur du réseau a créé les clés pour vous : collez ou chargez les quatre fichiers.',
      submit: 'Importer les identifiants',
    },
    test: {
      title: 'Tester la connexion',
      help: 'Se connecte au hub comme le feront les envois : TLS, certificat du hub, horloges, version du protocole et requête signée.',
      run: 'Tester la connexion',
      ok: 'La connexion fonctionne',
      failed: 'La connexion ne fonctionne pas',
      at: 'Testé le {{date}}',
    },
    check: {
      settings: 'Paramètres',
      connection: 'Connexion (TLS)',
      hub_certificate: 'Certificat du hub',
      clock: 'Écart d’horloge',
      protocol: 'Version du protocole',
      identity: 'Station acceptée',
    },
    problem: {
      unreadable_certificate: 'le certificat n’est pas un certificat X.509 lisible',
      foreign_issuer: 'le certificat n’a pas été émis par l’autorité de certification du réseau',
      not_yet_valid: 'le certificat n’est pas encore valide',
      expired: 'le certificat a expiré',
      no_identity: 'le certificat ne nomme aucun laboratoire (O) ou aucune station (OU)',
      not_station: 'ce n’est pas un certificat de station (il n’est pas fait pour un client)',
      tls_key_unreadable: 'la clé TLS n’est pas une clé privée lisible (PEM)',
      signing_key_unreadable: 'la clé de signature n’est pas une clé privée lisible (PEM)',
      tls_key_mismatch:
        'le certificat n’a pas été fait pour cette clé TLS (il appartient à une autre demande ou station)',
      signing_key_mismatch: 'le certificat nomme une autre clé de signature que celle-ci',
      no_ca: 'aucun certificat d’autorité du réseau n’est installé',
      unreadable_ca: 'le certificat de l’autorité n’est pas un certificat X.509 lisible (PEM)',
    },
    unreachable: {
      refused: 'le hub a refusé ou fermé la connexion',
      not_found: 'le nom d’hôte du hub est inconnu',
      timeout: 'le hub n’a pas répondu à temps',
      certificate: 'le certificat du hub n’est pas reconnu (autre autorité, expiré ou autre nom)',
      other: 'la connexion a échoué',
    },
    detail: {
      hubUrl: 'hub {{url}}, identifiants installés',
      noHub: 'aucune adresse de hub n’est définie',
      credentials: 'les identifiants installés sont inutilisables : {{problem}}',
      unreachable: '{{reason}} (message du système : {{said}})',
      tls: 'TLS vers {{host}}',
      hubIssued: 'hub {{hub}}, émis par l’autorité du réseau',
      clockOffset: 'horloge du hub moins celle de cette station : {{seconds}} s',
      versions: 'hub {{hub}}, station {{station}}',
      unknownVersion: 'inconnue',
      accepted: 'le hub accepte les requêtes signées de cette station',
      refused: 'le hub a refusé la requête signée de cette station : {{said}}',
      refusedCode: 'le hub a refusé la requête signée de cette station ({{code}}) : {{said}}',
    },
  },
  network: {
    lead: {
      screened_one: '{{count}} douille criblée ; CMC complet pour les {{fully}} meilleures (criblage ≥ {{cut}})',
      screened_many: '{{count}} douilles criblées ; CMC complet pour les {{fully}} meilleures (criblage ≥ {{cut}})',
      screened_other: '{{count}} douilles criblées ; CMC complet pour les {{fully}} meilleures (criblage ≥ {{cut}})',
      screenedChecked_one:
        '{{count}} douille criblée ; contrôle par recalage des {{registered}} meilleures par signature (signature ≥ {{cut}}) ; CMC complet pour les {{fully}} meilleures d’entre elles par recalage.',
      screenedChecked_many:
        '{{count}} douilles criblées ; contrôle par recalage des {{registered}} meilleures par signature (signature ≥ {{cut}}) ; CMC complet pour les {{fully}} meilleures d’entre elles par recalage.',
      screenedChecked_other:
        '{{count}} douilles criblées ; contrôle par recalage des {{registered}} meilleures par signature (signature ≥ {{cut}}) ; CMC complet pour les {{fully}} meilleures d’entre elles par recalage.',
      missRate:
        'Une concordance connue devrait tomber sous ce seuil dans environ {{missRate}} des corrélations ({{reference}}).',
      missRateBeyondReference:
        'Avec autant de douilles, la référence ({{reference}}) ne permet pas d’estimer combien de fois une concordance connue tombe sous ce seuil : entre {{low}} et {{high}} des corrélations.',
      place: 'Cette douille : rang {{rank}} par signature.',
      placeRegistered: 'Cette douille : rang {{rank}} par signature, score de recalage {{registration}}.',
      foundBy: 'Trouvée lors de la recherche de leur douille (chiffres de cette recherche, non d’une des nôtres) :',
      placeOurs: 'La nôtre : rang {{rank}} par signature.',
      placeOursRegistered: 'La nôtre : rang {{rank}} par signature, score de recalage {{registration}}.',
      lr: 'log₁₀ RV {{value}} (90 % : {{low}} à {{high}})',
      lrClipped: 'log₁₀ RV {{value}} (à la limite du modèle)',
    },
    /** The hub's correlation notes by code (contract/network.ts hubNoteCodes). */
    hubNote: {
      no_topography: 'Cette douille n’a pas de topographie X3P : le hub ne compare que des topographies.',
      query_unreadable: 'Le hub n’a pas pu analyser le fichier X3P de cette douille.',
      candidates_without_topography: 'Douilles d’autres laboratoires sans topographie X3P, non comparées : {{count}}.',
      candidate_unreadable:
        'Le hub n’a pas pu analyser une douille d’un autre laboratoire (numéro hub {{candidate}}) : elle n’a pas été comparée.',
      candidate_not_compared:
        'La comparaison avec une douille d’un autre laboratoire (numéro hub {{candidate}}) a échoué : elle ne donne aucune piste.',
      candidate_missing_x3p:
        'Une douille d’un autre laboratoire (numéro hub {{candidate}}) a été écartée : le hub ne détient plus son fichier X3P (l’exploitant du hub doit vérifier son stockage).',
      features_unreadable: 'Le hub n’a pas pu lire la signature de tri envoyée par ce poste ; il a utilisé la sienne.',
      features_other_topography:
        'La signature de tri envoyée par ce poste porte sur une autre topographie ; le hub a utilisé la sienne.',
      features_other_parameters:
        'La signature de tri envoyée par ce poste a été calculée avec d’autres paramètres ou une autre version du moteur que celle du hub ; le hub a utilisé la sienne.',
      features_differ:
        'La signature de tri envoyée par ce poste diffère de celle du hub pour la même topographie : le moteur d’analyse de ce poste ne calcule pas comme celui du hub, ses recherches locales peuvent donc classer autrement.',
      date_range:
        'Seules les douilles recueillies entre le {{from}} et le {{to}}, ou non datées, ont été triées (période de corrélation du hub).',
      unusable_signatures:
        'Douilles {{calibre}} ({{region}}) d’autres laboratoires sans signature de tri utilisable (pas de X3P, illisible ou pas encore analysée), non triées : {{count}}.',
      more_notes: 'Le hub détient {{count}} autres remarques sur cette corrélation.',
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
