import type { X3PCorrection } from '../../contract/acquisitions.ts';
import type { Surface } from '../surface.ts';

/** ISO 5436-2 axis data types: int16, int32, float32, float64. */
export type X3PDataType = 'I' | 'L' | 'F' | 'D';

export interface X3PAxis {
  /** I = incremental (implicit, from the matrix index), A = absolute (coordinates in the data). */
  axisType: 'I' | 'A';
  dataType: X3PDataType;
  /** Metres per step; for integer data, value = raw * increment + offset. */
  increment: number;
  offset: number;
}

export interface X3PRecord1 {
  revision: string;
  /** SUR surface, PRF profile, PCL point cloud. */
  featureType: 'SUR' | 'PRF' | 'PCL';
  axes: { cx: X3PAxis; cy: X3PAxis; cz: X3PAxis };
  /** Set when vendor-specific files accompany main.xml (we use it for Open-FMC). */
  vendorSpecificId?: string;
  /** Axes/Rotation (r11…r33, row-major) when it is not the identity; the reader applies it (orientation.ts). */
  rotation?: number[];
}

export interface X3PInstrument {
  manufacturer: string;
  model: string;
  serial: string;
  version: string;
}

export interface X3PRecord2 {
  /** xs:dateTime as written (normalised to carry a time). */
  date: string;
  creator?: string;
  instrument: X3PInstrument;
  calibrationDate: string;
  probingSystem: { type: 'Contacting' | 'NonContacting' | 'Software'; identification: string };
  comment?: string;
}

export const firingPinShapes = ['hemispherical', 'rectangular', 'elliptical', 'circular', 'other'] as const;
export const breechFaceClasses = ['arched', 'granular', 'parallel', 'circular', 'smooth', 'other'] as const;
export const regionsOfInterest = [
  'breech-face',
  'firing-pin',
  'aperture-shear',
  'ejector',
  'extractor',
  'drag-mark',
] as const;

/** Forensic metadata after the Open-FMC x3p extension (cartridge cases). Every field optional. */
export interface X3PForensic {
  agency?: string;
  agencyCaseNumber?: string;
  labCaseNumber?: string;
  itemId?: string;
  firearm?: { serial?: string; brand?: string; model?: string; calibre?: string };
  cartridge?: {
    brand?: string;
    calibre?: string;
    headstamp?: string;
    primerMaterial?: string;
    caseMaterial?: string;
    firingPinShape?: (typeof firingPinShapes)[number];
    breechFaceClass?: (typeof breechFaceClasses)[number];
  };
  regionOfInterest?: (typeof regionsOfInterest)[number];
}

export interface X3PReadResult {
  surface: Surface;
  record1: X3PRecord1;
  record2?: X3PRecord2;
  forensic?: X3PForensic;
  /** Human-readable notes on every deviation from strict ISO 5436-2 the reader accepted and repaired. */
  corrections: string[];
  /** The same corrections as codes with values, for the screen to word in the user's language. */
  notes: X3PCorrection[];
  /** What the file held: matrix (SUR/PRF grid) or a point list placed on its regular grid. */
  layout: 'matrix' | 'point-list';
  source: 'inline' | 'binary';
  validPoints: number;
}

export interface X3PReadOptions {
  /** Refuse checksum mismatches (default true). With false, mismatches become corrections. */
  verifyChecksums?: boolean;
  /** Largest surface (points) we will allocate; default 16 Mi points (4096 × 4096). */
  maxPoints?: number;
  /** Largest zip member / total uncompressed size; defaults 384 MiB each. */
  maxMemberBytes?: number;
  maxTotalBytes?: number;
  /** Largest estimated memory of one read (file + inflated data + decoded coordinates); default 384 MiB. */
  maxReadBytes?: number;
  /** Largest inline <DataList>, counted before parsing; default 512 Ki points. */
  maxInlinePoints?: number;
  /** 'auto' (default) detects lengths written in micrometres; 'metres' trusts the file. */
  units?: 'auto' | 'metres';
}
