// What the workspace needs to know about one side before loading any picture: which acquisition, how to name
// it, its topography (if any) and its 2D images. The examination's workspace answer carries it; the acquisition
// page builds it from the acquisition's own record.
import type { AcquisitionDetail, ComparisonSideView } from '../../../../electron/contract/index.ts';
import { imageRoles } from '../../../features/acquisition/roles.ts';

export interface SideSource {
  acquisitionId: number;
  label: string;
  /** Lateral pixel size of its files (the topography's, shared by a capture's images); null when unknown. */
  pixelUm: number | null;
  topography: { sha256: string; width: number | null; height: number | null } | null;
  /** 2D pictures an examiner compares (lights and composites; calibration frames left out), in display order. */
  images: Array<{ role: string; sha256: string }>;
  unsuitableReason: string | null;
}

/** Lights first, then ring, coaxial and the rest (the acquisition viewer's order). */
function ordered<T extends { role: string }>(images: T[]): T[] {
  const order = imageRoles(
    images.map((i) => ({ role: i.role, sha256: '', size: 0, mediaType: 'image/png', settings: null })),
  );
  return order.map((role) => images.find((i) => i.role === role)!);
}

export function sourceOfSide(side: ComparisonSideView): SideSource {
  return {
    acquisitionId: side.acquisitionId,
    label: side.label,
    pixelUm: side.pixelUm,
    topography: side.topography,
    images: ordered(side.images.filter((i) => i.kind !== 'calibration')).map(({ role, sha256 }) => ({ role, sha256 })),
    unsuitableReason: side.unsuitableReason,
  };
}

export function sourceOfDetail(detail: AcquisitionDetail, label: string): SideSource {
  const files = new Map(detail.files.map((f) => [f.role, f]));
  return {
    acquisitionId: detail.id,
    label,
    pixelUm: detail.lateralUm,
    topography: detail.topographySha256
      ? { sha256: detail.topographySha256, width: detail.width, height: detail.height }
      : null,
    images: imageRoles(detail.files)
      .filter((role) => role !== 'dark' && !role.startsWith('dark:'))
      .map((role) => ({ role, sha256: files.get(role)!.sha256 })),
    unsuitableReason: detail.unsuitableReason,
  };
}

/** The roles a side can show: its topography first, then its images. */
export function rolesOf(source: SideSource): string[] {
  return [...(source.topography ? ['topography'] : []), ...source.images.map((i) => i.role)];
}

/** Micrometres per pixel of any file of the side (the camera grid of its topography); null when unknown. */
export function filePixelUm(source: SideSource): number | null {
  return source.pixelUm !== null && source.pixelUm > 0 ? source.pixelUm : null;
}
