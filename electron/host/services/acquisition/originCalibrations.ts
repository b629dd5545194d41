// The calibrations named by an acquisition imported from a case package. Its settings.calibrations hold the
// capturing lab's ids: looked up in this station's table they would name one of OUR calibrations, an unrelated
// record. The import keeps, in settings.provenance, the references the package carried for them; only those name them.

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The capturing lab's calibration ids the settings name (settings.calibrations). */
export function calibrationIdsUsed(settings: Record<string, unknown>): number[] {
  const used = settings.calibrations;
  if (!isRecord(used)) return [];
  return [...new Set(Object.values(used).filter((id): id is number => typeof id === 'number'))];
}

/** For the import: the reference of each calibration the settings name, as the package (or, for a case imported
 * and sent on, the provenance recorded by the station before) carried it, by the capturing lab's id. */
export function carriedCalibrationReferences(
  settings: Record<string, unknown>,
  packageCalibrations: ReadonlyMap<number, { reference?: string | null | undefined }>,
): Record<string, string> {
  const earlier = originCalibrationReferences(settings);
  return Object.fromEntries(
    calibrationIdsUsed(settings).flatMap((id) => {
      const reference = packageCalibrations.get(id)?.reference ?? earlier[String(id)];
      return typeof reference === 'string' && reference !== '' ? [[String(id), reference]] : [];
    }),
  );
}

/** For the view: the references the import recorded in settings.provenance, by the capturing lab's id. */
export function originCalibrationReferences(settings: Record<string, unknown>): Record<string, string> {
  const provenance = settings.provenance;
  if (!isRecord(provenance)) return {};
  const references: Record<string, string> = {};
  // Imports made before the references were kept carry the acquisition's own calibration only.
  const origin = provenance.originCalibration;
  if (isRecord(origin) && typeof origin.originId === 'number' && typeof origin.reference === 'string')
    references[String(origin.originId)] = origin.reference;
  if (isRecord(provenance.originCalibrationReferences))
    for (const [id, reference] of Object.entries(provenance.originCalibrationReferences))
      if (typeof reference === 'string' && reference !== '') references[id] = reference;
  return references;
}
