// Español para las coincidencias en la red y la pantalla de ajustes de red; se fusiona en `es`.
import type { Messages } from './keys.ts';

export const networkEs: Messages = {
  networkSetup: {
    title: 'Configuración de red',
    loadFile: 'Cargar desde un archivo… ({{what}})',
    loadFileShort: 'Cargar desde un archivo…',
    installed: 'Credenciales instaladas: la estación ya las usa.',
    status: {
      title: 'Esta estación en la red',
      ready: 'Lista para enviar',
      notReady: 'Sin configurar: no puede enviar',
      hub: 'Hub: {{url}}',
      noHub: 'Sin dirección de hub: los envíos se guardan para un lote.',
      identity: 'Laboratorio {{lab}}, estación {{station}}',
      validity: 'Certificado válido del {{from}} al {{to}}',
      fingerprint: 'Huella SHA-256 {{value}}',
      noCertificate: 'No hay certificado instalado.',
      ca: 'AC de la red: {{subject}} (válida hasta {{to}})',
    },
    certificateState: {
      none: 'Sin certificado',
      valid: 'Certificado válido',
      expired: 'Certificado caducado',
      not_yet_valid: 'Certificado aún no válido',
      unusable: 'Credenciales inutilizables',
    },
    hub: {
      title: 'Dirección del hub',
      url: 'URL del hub',
      httpsOnly: 'La dirección del hub debe empezar por https:// (las estaciones solo lo alcanzan por TLS).',
      help: 'La dirección https que le dio el operador de la red.',
      save: 'Guardar dirección',
      saved: 'Dirección del hub guardada.',
    },
    enroll: {
      title: 'Inscripción en la AC de la red',
      help: 'Cree las claves de esta estación y una solicitud de certificado; envíe la solicitud al operador de la red y luego instale el certificado que emita. Las claves nunca salen de esta estación.',
      labId: 'ID del laboratorio',
      stationId: 'ID de la estación',
      create: 'Crear clave y solicitud',
      waiting:
        'Solicitud para el laboratorio {{lab}}, estación {{station}}, hecha el {{date}}: esperando el certificado.',
      request: 'Solicitud de certificado (envíela al operador de la red)',
      copy: 'Copiar solicitud',
      copied: 'Copiado',
      download: 'Descargar archivo de solicitud',
      installTitle: 'Instalar el certificado emitido',
      install: 'Instalar certificado',
    },
    field: {
      certificate: 'Certificado de la estación (PEM)',
      ca: 'Certificado de la AC de la red (PEM)',
      tlsKey: 'Clave privada TLS (PEM)',
      signingKey: 'Clave de firma (PEM)',
    },
    import: {
      title: 'Importar certificado y claves',
      help: 'Si el operador de la red creó las claves por usted: pegue o cargue los cuatro archivos.',
      submit: 'Importar credenciales',
    },
    test: {
      title: 'Probar la conexión',
      help: 'Se conecta al hub como lo harán los envíos: TLS, certificado del hub, relojes, versión del protocolo y una solicitud firmada.',
      run: 'Probar conexión',
      ok: 'La conexión funciona',
      failed: 'La conexión no funciona',
      at: 'Probado el {{date}}',
    },
    check: {
      settings: 'Configuración',
      connection: 'Conexión (TLS)',
      hub_certificate: 'Certificado del hub',
      clock: 'Desfase del reloj',
      protocol: 'Versión del protocolo',
      identity: 'Estación aceptada',
    },
    problem: {
      unreadable_certificate: 'el certificado no es un certificado X.509 legible',
      foreign_issuer: 'el certificado no lo emitió la autoridad de certificación de la red',
      not_yet_valid: 'el certificado aún no es válido',
      expired: 'el certificado ha caducado',
      no_identity: 'el certificado no nombra ningún laboratorio (O) o ninguna estación (OU)',
      not_station: 'no es un certificado de estación (no está hecho para un cliente)',
      tls_key_unreadable: 'la clave TLS no es una clave privada legible (PEM)',
      signing_key_unreadable: 'la clave de firma no es una clave privada legible (PEM)',
      tls_key_mismatch: 'el certificado no se hizo para esta clave TLS (pertenece a otra solicitud o estación)',
      signing_key_mismatch: 'el certificado nombra otra clave de firma distinta de esta',
      no_ca: 'no hay instalado ningún certificado de la autoridad de la red',
      unreadable_ca: 'el certificado de la autoridad no es un certificado X.509 legible (PEM)',
    },
    unreachable: {
      refused: 'el hub rechazó o cerró la conexión',
      not_found: 'el nombre de host del hub es desconocido',
      timeout: 'el hub no respondió a tiempo',
      certificate: 'el certificado del hub no es de confianza (otra autoridad, caducado u otro nombre)',
      other: 'la conexión falló',
    },
    detail: {
      hubUrl: 'hub {{url}}, credenciales instaladas',
      noHub: 'no se ha definido la dirección del hub',
      credentials: 'las credenciales instaladas no se pueden usar: {{problem}}',
      unreachable: '{{reason}} (mensaje del sistema: {{said}})',
      tls: 'TLS con {{host}}',
      hubIssued: 'hub {{hub}}, emitido por la autoridad de la red',
      clockOffset: 'reloj del hub menos el de esta estación: {{seconds}} s',
      versions: 'hub {{hub}}, estación {{station}}',
      unknownVersion: 'desconocida',
      accepted: 'el hub acepta las solicitudes firmadas de esta estación',
      refused: 'el hub rechazó la solicitud firmada de esta estación: {{said}}',
      refusedCode: 'el hub rechazó la solicitud firmada de esta estación ({{code}}): {{said}}',
    },
  },
  network: {
    lead: {
      screened_one: '{{count}} vaina cribada; CMC completo para las {{fully}} mejores (cribado ≥ {{cut}})',
      screened_many: '{{count}} vainas cribadas; CMC completo para las {{fully}} mejores (cribado ≥ {{cut}})',
      screened_other: '{{count}} vainas cribadas; CMC completo para las {{fully}} mejores (cribado ≥ {{cut}})',
      screenedChecked_one:
        '{{count}} vaina cribada; control por registro de las {{registered}} mejores por firma (firma ≥ {{cut}}); CMC completo para las {{fully}} mejores de ellas por registro.',
      screenedChecked_many:
        '{{count}} vainas cribadas; control por registro de las {{registered}} mejores por firma (firma ≥ {{cut}}); CMC completo para las {{fully}} mejores de ellas por registro.',
      screenedChecked_other:
        '{{count}} vainas cribadas; control por registro de las {{registered}} mejores por firma (firma ≥ {{cut}}); CMC completo para las {{fully}} mejores de ellas por registro.',
      missRate:
        'Se espera que una coincidencia conocida quede por debajo de este corte en aproximadamente {{missRate}} de las correlaciones ({{reference}}).',
      missRateBeyondReference:
        'Con tantas vainas, la referencia ({{reference}}) no permite estimar con qué frecuencia una coincidencia conocida queda por debajo de este corte: entre {{low}} y {{high}} de las correlaciones.',
      place: 'Esta vaina: puesto {{rank}} por firma.',
      placeRegistered: 'Esta vaina: puesto {{rank}} por firma, puntuación de registro {{registration}}.',
      foundBy: 'Encontrada al buscar su vaina (cifras de esa búsqueda, no de una nuestra):',
      placeOurs: 'La nuestra: puesto {{rank}} por firma.',
      placeOursRegistered: 'La nuestra: puesto {{rank}} por firma, puntuación de registro {{registration}}.',
      lr: 'log₁₀ RV {{value}} (90 %: {{low}} a {{high}})',
      lrClipped: 'log₁₀ RV {{value}} (en el límite del modelo)',
    },
    /** The hub's correlation notes by code (contract/network.ts hubNoteCodes). */
    hubNote: {
      no_topography: 'Esta vaina no tiene topografía X3P: el hub solo compara topografías.',
      query_unreadable: 'El hub no pudo analizar el archivo X3P de esta vaina.',
      candidates_without_topography: 'Vainas de otros laboratorios sin topografía X3P, no comparadas: {{count}}.',
      candidate_unreadable:
        'El hub no pudo analizar una vaina de otro laboratorio (número en el hub {{candidate}}): no se comparó.',
      candidate_not_compared:
        'La comparación con una vaina de otro laboratorio (número en el hub {{candidate}}) falló: no da ninguna pista.',
      candidate_missing_x3p:
        'Se dejó fuera una vaina de otro laboratorio (número en el hub {{candidate}}): el hub ya no guarda su archivo X3P (el operador del hub debe revisar su almacén).',
      features_unreadable: 'El hub no pudo leer la firma de cribado que envió esta estación; usó la suya.',
      features_other_topography:
        'La firma de cribado que envió esta estación es de otra topografía; el hub usó la suya.',
      features_other_parameters:
        'La firma de cribado que envió esta estación se calculó con otros parámetros u otra versión del motor que la del hub; el hub usó la suya.',
      features_differ:
        'La firma de cribado que envió esta estación difiere de la del hub para la misma topografía: el motor de análisis de esta estación no calcula lo mismo que el del hub, así que sus búsquedas locales pueden ordenar de otro modo.',
      date_range:
        'Solo se cribaron las vainas recuperadas entre el {{from}} y el {{to}}, o sin fecha (el periodo de correlación del hub).',
      unusable_signatures:
        'Vainas {{calibre}} ({{region}}) de otros laboratorios sin firma de cribado utilizable (sin X3P, ilegible o aún sin analizar), no cribadas: {{count}}.',
      more_notes: 'El hub guarda {{count}} notas más sobre esta correlación.',
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
