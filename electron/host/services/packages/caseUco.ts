// case.jsonld: the case record in the CASE/UCO ontology (JSON-LD), for tools that speak the open forensic exchange
// standard. One investigation; per item a provenance record with its exhibit number; per acquisition an
// investigative action whose results are the stored files (each a uco-observable:File with a ContentDataFacet
// carrying its SHA-256 as a uco-types:Hash); analysis runs and examination records are investigative actions
// informed by the acquisitions, their results derived (case-investigation:wasDerivedFrom) from the acquisitions'
// files; people take the examiner / technician roles of the station through has_role relationships.
// `checkCaseUco` checks the document against the rules of the ontology's shapes that concern what we emit
// (docs/case-package.md lists them).
import type { AuditExtract, CaseRecord, ManifestMember } from './format.ts';

const context = {
  kb: 'urn:casebench:',
  'case-investigation': 'https://ontology.caseontology.org/case/investigation/',
  'uco-action': 'https://ontology.unifiedcyberontology.org/uco/action/',
  'uco-core': 'https://ontology.unifiedcyberontology.org/uco/core/',
  'uco-identity': 'https://ontology.unifiedcyberontology.org/uco/identity/',
  'uco-observable': 'https://ontology.unifiedcyberontology.org/uco/observable/',
  'uco-role': 'https://ontology.unifiedcyberontology.org/uco/role/',
  'uco-tool': 'https://ontology.unifiedcyberontology.org/uco/tool/',
  'uco-types': 'https://ontology.unifiedcyberontology.org/uco/types/',
  'uco-vocabulary': 'https://ontology.unifiedcyberontology.org/uco/vocabulary/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

type Node = Record<string, unknown> & { '@id': string; '@type': string };
const ref = (id: string) => ({ '@id': id });
const dateTime = (value: string) => ({ '@type': 'xsd:dateTime', '@value': value });
const integer = (value: number) => ({ '@type': 'xsd:integer', '@value': String(value) });

export function caseJsonLd(
  record: CaseRecord,
  audit: AuditExtract,
  members: ManifestMember[],
  pkg: { packageId: string; createdAt: string },
): { '@context': typeof context; '@graph': Node[] } {
  const base = `kb:${pkg.packageId}:`;
  const id = (kind: string, key: string | number) => `${base}${kind}-${encodeURIComponent(String(key))}`;
  const graph: Node[] = [];
  const memberByPath = new Map(members.map((m) => [m.path, m]));

  const tool: Node = {
    '@id': id('tool', 'casebench'),
    '@type': 'uco-tool:Tool',
    'uco-core:name': 'Casebench',
    'uco-tool:version': record.analysis.engine.version,
  };
  graph.push(tool);

  // People: the usernames the record names, with their station role (and, for examination records, the role they
  // had in it: examiner, verifier, arbiter), each through a Has_Role relationship.
  const roles = new Map<string, Node>();
  const personIds = new Map<string, string>();
  const hasRole = new Set<string>();
  const roleOf = (name: string, examiner: boolean): string => {
    let role = roles.get(name);
    if (!role) {
      role = {
        '@id': id('role', name),
        '@type': examiner ? 'case-investigation:Examiner' : 'uco-role:Role',
        'uco-core:name': name,
      };
      roles.set(name, role);
      graph.push(role);
    }
    return role['@id'];
  };
  const giveRole = (personId: string, username: string, roleId: string) => {
    const key = `${username}\u0000${roleId}`;
    if (hasRole.has(key)) return;
    hasRole.add(key);
    graph.push({
      '@id': id('has-role', `${username}/${roleId.slice(roleId.lastIndexOf('role-') + 5)}`),
      '@type': 'uco-core:Relationship',
      'uco-core:source': [ref(personId)],
      'uco-core:target': ref(roleId),
      'uco-core:kindOfRelationship': 'Has_Role',
      'uco-core:isDirectional': true,
    });
  };
  const person = (username: string | null, displayName?: string): string | undefined => {
    if (!username) return undefined;
    const existing = personIds.get(username);
    if (existing) return existing;
    const known = record.people.find((p) => p.username === username);
    const node: Node = {
      '@id': id('person', username),
      '@type': 'uco-identity:Person',
      'uco-core:name': known?.displayName || displayName || username,
    };
    graph.push(node);
    personIds.set(username, node['@id']);
    if (known) giveRole(node['@id'], username, roleOf(known.role, known.role === 'examiner'));
    return node['@id'];
  };

  const fileNode = (path: string, name: string): string | undefined => {
    const member = memberByPath.get(path);
    if (!member) return undefined;
    const nodeId = id('file', member.sha256);
    if (graph.some((n) => n['@id'] === nodeId)) return nodeId;
    graph.push({
      '@id': nodeId,
      '@type': 'uco-observable:File',
      'uco-core:hasFacet': [
        {
          '@id': id('file-facet', member.sha256),
          '@type': 'uco-observable:FileFacet',
          'uco-observable:fileName': name,
          'uco-observable:filePath': path,
        },
        {
          '@id': id('content-facet', member.sha256),
          '@type': 'uco-observable:ContentDataFacet',
          'uco-observable:mimeType': member.mediaType,
          'uco-observable:sizeInBytes': integer(member.size),
          'uco-observable:hash': [
            {
              '@id': id('hash', member.sha256),
              '@type': 'uco-types:Hash',
              'uco-types:hashMethod': { '@type': 'uco-vocabulary:HashNameVocab', '@value': 'SHA256' },
              'uco-types:hashValue': { '@type': 'xsd:hexBinary', '@value': member.sha256 },
            },
          ],
        },
      ],
    });
    return nodeId;
  };

  const itemIds = new Map<string, string>();
  const provenanceIds: string[] = [];
  for (const item of record.items) {
    const itemId = id('item', item.exhibitNumber);
    itemIds.set(item.exhibitNumber, itemId);
    graph.push({
      '@id': itemId,
      '@type': 'uco-core:Item',
      'uco-core:name': `${item.kind === 'firearm' ? 'Firearm' : 'Cartridge case'} ${item.exhibitNumber}`,
      'uco-core:description': [item.calibre, item.brand, item.headstamp, item.make, item.model]
        .filter(Boolean)
        .join(' · '),
    });
    const provenanceId = id('provenance', item.exhibitNumber);
    provenanceIds.push(provenanceId);
    graph.push({
      '@id': provenanceId,
      '@type': 'case-investigation:ProvenanceRecord',
      'case-investigation:exhibitNumber': item.exhibitNumber,
      'uco-core:object': [ref(itemId)],
    });
  }

  const acquisitionFiles = new Map<number, string[]>();
  const actionIds: string[] = [];
  for (const a of record.acquisitions) {
    const results = a.files
      .map((f) => fileNode(f.path, `${a.exhibitNumber} ${a.region} ${f.role}`))
      .filter((x): x is string => !!x);
    if (a.openFmcX3p) {
      const derived = fileNode(a.openFmcX3p.path, `${a.exhibitNumber} ${a.region} topography (Open-FMC)`);
      const original = a.topographySha256 ? id('file', a.topographySha256) : undefined;
      if (derived) {
        results.push(derived);
        const node = graph.find((n) => n['@id'] === derived)!;
        if (original) node['case-investigation:wasDerivedFrom'] = [ref(original)];
      }
    }
    acquisitionFiles.set(a.originId, results);
    const actionId = id('acquisition', a.originId);
    actionIds.push(actionId);
    const performer = person(a.operator);
    graph.push({
      '@id': actionId,
      '@type': 'case-investigation:InvestigativeAction',
      'uco-core:name': `${a.source === 'capture' ? 'Capture' : 'Import'} of ${a.exhibitNumber} (${a.region})`,
      'uco-action:startTime': dateTime(a.startedAt),
      'uco-action:endTime': dateTime(a.completedAt),
      ...(performer ? { 'uco-action:performer': ref(performer) } : {}),
      'uco-action:instrument': ref(tool['@id']),
      'uco-action:object': [ref(itemIds.get(a.exhibitNumber)!)],
      'uco-action:result': results.map(ref),
    });
  }

  for (const run of record.analysis.results) {
    const actionId = id('analysis', run.auditSeq);
    const inputs = run.acquisitions.flatMap((aid) => acquisitionFiles.get(aid) ?? []);
    const resultId = id('analysis-result', run.auditSeq);
    graph.push({
      '@id': resultId,
      '@type': 'uco-core:Assertion',
      'uco-core:statement': [`${run.action}: ${JSON.stringify(run.outcome)}`],
      'case-investigation:wasDerivedFrom': inputs.map(ref),
    });
    const performer = person(run.by);
    graph.push({
      '@id': actionId,
      '@type': 'case-investigation:InvestigativeAction',
      'uco-core:name': `${run.action} (${record.analysis.engine.scorer}, ${record.analysis.engine.version})`,
      'uco-action:startTime': dateTime(run.at),
      ...(performer ? { 'uco-action:performer': ref(performer) } : {}),
      'uco-action:instrument': ref(tool['@id']),
      'uco-action:object': inputs.map(ref),
      'uco-action:result': [ref(resultId)],
      'case-investigation:wasInformedBy': run.acquisitions
        .filter((aid) => acquisitionFiles.has(aid))
        .map((aid) => ref(id('acquisition', aid))),
    });
    actionIds.push(actionId);
  }

  /** A file by its hash: the package's member when it carries it, else a file known only by its hash (the other
   * side of a comparison with another case's casing). */
  const fileBySha = (sha256: string, name: string): string => {
    const member = members.find((m) => m.sha256 === sha256 && m.role === 'original');
    if (member) return fileNode(member.path, name)!;
    const nodeId = id('file', sha256);
    if (!graph.some((n) => n['@id'] === nodeId))
      graph.push({
        '@id': nodeId,
        '@type': 'uco-observable:File',
        'uco-core:hasFacet': [
          {
            '@id': id('file-facet', sha256),
            '@type': 'uco-observable:FileFacet',
            'uco-observable:fileName': name,
          },
          {
            '@id': id('content-facet', sha256),
            '@type': 'uco-observable:ContentDataFacet',
            'uco-observable:hash': [
              {
                '@id': id('hash', sha256),
                '@type': 'uco-types:Hash',
                'uco-types:hashMethod': { '@type': 'uco-vocabulary:HashNameVocab', '@value': 'SHA256' },
                'uco-types:hashValue': { '@type': 'xsd:hexBinary', '@value': sha256 },
              },
            ],
          },
        ],
      });
    return nodeId;
  };

  /**
   * Examination records: each stored CMC analysis is an action whose result (an assertion) was derived from the two
   * topographies; each conclusion record is an action performed by a person in the role they had (examiner,
   * verifier, arbiter) whose result was derived from the analyses whose scores it shows, its snapshots and the
   * record it amends. So wasDerivedFrom runs acquisition file → analysis → conclusion.
   */
  const examinationGraph = (ex: NonNullable<CaseRecord['examination']>): string[] => {
    const actions: string[] = [];
    const comparisonOf = new Map(ex.comparisons.map((c) => [c.id, c]));
    const informedBy = (c: (typeof ex.comparisons)[number] | undefined) =>
      c
        ? [c.a.acquisitionId, c.b.acquisitionId]
            .filter((aid) => acquisitionFiles.has(aid))
            .map((aid) => ref(id('acquisition', aid)))
        : [];
    const analysisResults = new Set<number>();
    for (const a of ex.analyses) {
      const c = comparisonOf.get(a.comparisonId);
      const inputs = [
        fileBySha(a.inputs.a, `${c?.a.label ?? 'A'} topography`),
        fileBySha(a.inputs.b, `${c?.b.label ?? 'B'} topography`),
      ];
      const resultId = id('cmc-result', a.id);
      graph.push({
        '@id': resultId,
        '@type': 'uco-core:Assertion',
        'uco-core:statement': [
          `CMC ${a.cmc.ab} (A→B) / ${a.cmc.ba} (B→A) congruent matching cells, combined ${a.cmc.combined}; ${a.algorithm.name} ${a.algorithm.version}`,
        ],
        'case-investigation:wasDerivedFrom': inputs.map(ref),
      });
      analysisResults.add(a.id);
      const actionId = id('cmc-analysis', a.id);
      const performer = person(a.ranBy);
      graph.push({
        '@id': actionId,
        '@type': 'case-investigation:InvestigativeAction',
        'uco-core:name': `CMC comparison ${c ? `${c.a.label} vs ${c.b.label}` : a.comparisonId}`,
        'uco-action:startTime': dateTime(a.ranAt),
        ...(performer ? { 'uco-action:performer': ref(performer) } : {}),
        'uco-action:instrument': ref(tool['@id']),
        'uco-action:object': inputs.map(ref),
        'uco-action:result': [ref(resultId)],
        'case-investigation:wasInformedBy': informedBy(c),
      });
      actions.push(actionId);
    }
    const snapshotFile = new Map(
      ex.snapshots.map((snap) => [snap.id, fileBySha(snap.sha256, `snapshot ${snap.id}: ${snap.caption}`)]),
    );
    const roleNames = { examination: 'examiner', verification: 'verifier', arbitration: 'arbiter' } as const;
    for (const conclusion of ex.conclusions) {
      const c = comparisonOf.get(conclusion.comparisonId);
      const shown = conclusion.record.scoresShown
        .map((score) => score.analysisId)
        .filter((x) => analysisResults.has(x));
      const resultId = id('conclusion', conclusion.id);
      graph.push({
        '@id': resultId,
        '@type': 'uco-core:Assertion',
        'uco-core:statement': [`AFTE range of conclusions: ${conclusion.conclusion}. Basis: ${conclusion.basis}`],
        'case-investigation:wasDerivedFrom': [
          ...shown.map((x) => ref(id('cmc-result', x))),
          ...conclusion.snapshotIds.flatMap((x) => (snapshotFile.has(x) ? [ref(snapshotFile.get(x)!)] : [])),
          ...(conclusion.amends !== null && ex.conclusions.some((o) => o.id === conclusion.amends)
            ? [ref(id('conclusion', conclusion.amends))]
            : []),
          ...[conclusion.record.a.topographySha256, conclusion.record.b.topographySha256]
            .filter((x): x is string => !!x)
            .map((sha, i) => ref(fileBySha(sha, `${i === 0 ? c?.a.label : c?.b.label} topography`))),
        ],
      });
      const performer = person(conclusion.examiner.username, conclusion.examiner.displayName);
      if (performer) giveRole(performer, conclusion.examiner.username, roleOf(roleNames[conclusion.role], true));
      const actionId = id('examination', conclusion.id);
      graph.push({
        '@id': actionId,
        '@type': 'case-investigation:InvestigativeAction',
        'uco-core:name': `${conclusion.role === 'examination' ? 'Examination' : conclusion.role === 'verification' ? 'Verification' : 'Arbitration'} of ${c ? `${c.a.label} vs ${c.b.label}` : `comparison ${conclusion.comparisonId}`}${conclusion.amends !== null ? ` (amends conclusion ${conclusion.amends}: ${conclusion.reason ?? ''})` : ''}`,
        'uco-action:startTime': dateTime(conclusion.recordedAt),
        ...(performer ? { 'uco-action:performer': ref(performer) } : {}),
        'uco-action:result': [ref(resultId)],
        'case-investigation:wasInformedBy': [...informedBy(c), ...shown.map((x) => ref(id('cmc-analysis', x)))],
      });
      actions.push(actionId);
    }
    return actions;
  };

  if (record.examination) actionIds.push(...examinationGraph(record.examination));

  const auditFile = fileNode('case/audit.json', 'audit extract');
  const recordFile = fileNode('case/record.json', 'case record');
  graph.push({
    '@id': id('investigation', record.case.labCaseNumber),
    '@type': 'case-investigation:Investigation',
    'uco-core:name': record.case.labCaseNumber,
    'case-investigation:investigationForm': { '@type': 'uco-vocabulary:InvestigationFormVocab', '@value': 'case' },
    'case-investigation:investigationStatus': record.case.status,
    'case-investigation:focus': 'firearms: fired cartridge cases',
    'uco-core:startTime': dateTime(record.case.createdAt),
    'uco-core:object': [
      ...provenanceIds.map(ref),
      ...actionIds.map(ref),
      ...[auditFile, recordFile].filter((x): x is string => !!x).map(ref),
    ],
  });
  void audit;
  return { '@context': context, '@graph': graph };
}

// ---- checking against the ontology's shapes ------------------------------------------------------------

export interface ShapeViolation {
  node: string;
  rule: string;
}

const hashNames = new Set([
  'MD5',
  'MD6',
  'SHA1',
  'SHA224',
  'SHA256',
  'SHA384',
  'SHA512',
  'SHA3-224',
  'SHA3-256',
  'SHA3-384',
  'SHA3-512',
  'SSDEEP',
]);
const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The rules of the CASE 1.x / UCO 1.x SHACL shapes that apply to the node types case.jsonld emits (see
 * docs/case-package.md for the list). Returns every violation; an empty list means the document passes them.
 */
export function checkCaseUco(doc: { '@graph': unknown[] }): ShapeViolation[] {
  const violations: ShapeViolation[] = [];
  const ids = new Set<string>();
  const add = (node: string, rule: string) => violations.push({ node, rule });
  const isRef = (v: unknown) => !!v && typeof v === 'object' && typeof (v as { '@id'?: unknown })['@id'] === 'string';
  const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const typed = (v: unknown, type: string) =>
    !!v &&
    typeof v === 'object' &&
    (v as Record<string, unknown>)['@type'] === type &&
    typeof (v as Record<string, unknown>)['@value'] === 'string';
  const nodes: Record<string, unknown>[] = [];
  const collect = (n: unknown) => {
    if (!n || typeof n !== 'object' || Array.isArray(n)) return;
    const node = n as Record<string, unknown>;
    if (typeof node['@type'] === 'string' && !('@value' in node)) nodes.push(node);
    for (const [k, v] of Object.entries(node)) if (k !== '@context') list(v).forEach(collect);
  };
  doc['@graph'].forEach(collect);
  for (const node of nodes) {
    const nid = String(node['@id'] ?? '(blank)');
    if (typeof node['@id'] !== 'string') add(nid, 'every node has an IRI (@id)');
    else if (ids.has(node['@id'])) add(nid, 'IRIs are unique in the graph');
    else ids.add(node['@id']);
    for (const prop of ['uco-action:startTime', 'uco-action:endTime', 'uco-core:startTime', 'uco-core:endTime']) {
      const values = list(node[prop]);
      if (values.length > 1) add(nid, `${prop}: sh:maxCount 1`);
      for (const v of values)
        if (!typed(v, 'xsd:dateTime') || !dateTimePattern.test((v as { '@value': string })['@value']))
          add(nid, `${prop}: sh:datatype xsd:dateTime`);
    }
    for (const prop of [
      'uco-action:performer',
      'uco-action:instrument',
      'uco-action:object',
      'uco-action:result',
      'uco-core:object',
      'case-investigation:wasDerivedFrom',
      'case-investigation:wasInformedBy',
      'uco-core:source',
      'uco-core:target',
    ])
      for (const v of list(node[prop])) if (!isRef(v)) add(nid, `${prop}: sh:nodeKind sh:BlankNodeOrIRI`);
    for (const prop of ['uco-action:performer', 'uco-action:instrument'])
      if (list(node[prop]).length > 1) add(nid, `${prop}: sh:maxCount 1`);
    switch (node['@type']) {
      case 'case-investigation:ProvenanceRecord': {
        const exhibit = list(node['case-investigation:exhibitNumber']);
        if (exhibit.length > 1) add(nid, 'case-investigation:exhibitNumber: sh:maxCount 1');
        if (exhibit.some((v) => typeof v !== 'string'))
          add(nid, 'case-investigation:exhibitNumber: sh:datatype xsd:string');
        break;
      }
      case 'case-investigation:Investigation': {
        if (list(node['case-investigation:investigationStatus']).length > 1)
          add(nid, 'investigationStatus: sh:maxCount 1');
        const form = list(node['case-investigation:investigationForm']);
        if (form.length > 1) add(nid, 'investigationForm: sh:maxCount 1');
        for (const f of form) {
          const value = typeof f === 'string' ? f : (f as { '@value'?: string })['@value'];
          if (typeof f !== 'string' && !['case', 'incident', 'suspicious-activity'].includes(String(value)))
            add(nid, 'investigationForm: sh:in InvestigationFormVocab');
        }
        break;
      }
      case 'uco-types:Hash': {
        const method = list(node['uco-types:hashMethod']);
        const value = list(node['uco-types:hashValue']);
        if (method.length !== 1) add(nid, 'uco-types:hashMethod: sh:minCount 1, sh:maxCount 1');
        if (value.length !== 1) add(nid, 'uco-types:hashValue: sh:minCount 1, sh:maxCount 1');
        for (const m of method) {
          const name = typeof m === 'string' ? m : (m as { '@value'?: string })['@value'];
          if (!hashNames.has(String(name))) add(nid, 'uco-types:hashMethod: sh:in HashNameVocab');
        }
        for (const v of value)
          if (!typed(v, 'xsd:hexBinary') || !/^([0-9a-fA-F]{2})*$/.test((v as { '@value': string })['@value']))
            add(nid, 'uco-types:hashValue: sh:datatype xsd:hexBinary');
        break;
      }
      case 'uco-observable:ContentDataFacet': {
        const size = list(node['uco-observable:sizeInBytes']);
        if (size.length > 1) add(nid, 'uco-observable:sizeInBytes: sh:maxCount 1');
        for (const s of size)
          if (!typed(s, 'xsd:integer') || !/^\d+$/.test((s as { '@value': string })['@value']))
            add(nid, 'uco-observable:sizeInBytes: sh:datatype xsd:integer');
        for (const h of list(node['uco-observable:hash']))
          if (!h || typeof h !== 'object' || (h as Record<string, unknown>)['@type'] !== 'uco-types:Hash')
            add(nid, 'uco-observable:hash: sh:class uco-types:Hash');
        break;
      }
      case 'uco-core:Relationship': {
        if (list(node['uco-core:kindOfRelationship']).length !== 1) add(nid, 'uco-core:kindOfRelationship: exactly 1');
        if (list(node['uco-core:source']).length < 1) add(nid, 'uco-core:source: sh:minCount 1');
        if (list(node['uco-core:target']).length !== 1) add(nid, 'uco-core:target: exactly 1');
        if (typeof node['uco-core:isDirectional'] !== 'boolean') add(nid, 'uco-core:isDirectional: exactly 1 boolean');
        break;
      }
    }
  }
  // Every reference points at a node of the graph (no dangling links).
  for (const node of nodes)
    for (const [prop, v] of Object.entries(node))
      if (prop !== '@id' && prop !== '@type')
        for (const x of list(v))
          if (isRef(x) && Object.keys(x as object).length === 1 && !ids.has((x as { '@id': string })['@id']))
            add(
              String(node['@id']),
              `${prop}: refers to ${(x as { '@id': string })['@id']}, which is not in the graph`,
            );
  return violations;
}
